import type { DataSource } from 'typeorm';
import { ResourceServersApiError, ResourceServerErrorCode } from './resource-server-errors';

/**
 * A resource server's introspection client must exist and authenticate (a secret or
 * private_key_jwt): a public client cannot prove it is the API (RFC 7662 §2.1).
 */
export async function assertIntrospectionClient(dataSource: DataSource, clientId: string | null | undefined) {
  if (!clientId) return;
  const [row]: { auth_method: string | null }[] = await dataSource.query(
    `SELECT metadata->>'token_endpoint_auth_method' AS auth_method FROM oauth_clients WHERE client_id = $1`,
    [clientId],
  );
  if (!row || !row.auth_method || row.auth_method === 'none') {
    throw new ResourceServersApiError(
      ResourceServerErrorCode.InvalidIntrospectionClient,
      'introspectionClientId must name a registered confidential client (one with a secret or keys)',
    );
  }
}
