import { ResourceServersApiError, ResourceServerErrorCode } from './resource-server-errors';
import type { ResourceServersRepository } from './resource-servers.repository';

/**
 * A resource server's introspection client must exist and authenticate (a secret or
 * private_key_jwt): a public client cannot prove it is the API (RFC 7662 §2.1).
 */
export async function assertIntrospectionClient(
  repository: Pick<ResourceServersRepository, 'clientAuthMethod'>,
  clientId: string | null | undefined,
) {
  if (!clientId) return;
  const authMethod = await repository.clientAuthMethod(clientId);
  if (!authMethod || authMethod === 'none') {
    throw new ResourceServersApiError(
      ResourceServerErrorCode.InvalidIntrospectionClient,
      'introspectionClientId must name a registered confidential client (one with a secret or keys)',
    );
  }
}
