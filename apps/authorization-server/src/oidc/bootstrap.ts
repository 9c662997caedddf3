import { randomToken, sha256Hex } from '@platform/crypto';
import type { DataSource } from 'typeorm';
import { OAuthClient } from '../clients/oauth-client.entity';

/** Every scope of the platform's own identity API. */
export const IDENTITY_API_SCOPES = [
  'identity.tenants.read',
  'identity.tenants.write',
  'identity.users.read',
  'identity.users.write',
  'identity.roles.read',
  'identity.roles.write',
  'identity.idps.read',
  'identity.idps.write',
  'identity.audit.read',
  'identity.internal',
  'platform.admin',
];

/** Scopes of the authorization server's own management API. */
export const AUTHZ_API_SCOPES = [
  'authz.keys.read',
  'authz.keys.write',
  'authz.clients.read',
  'authz.clients.write',
  'authz.apis.read',
  'authz.apis.write',
];

export const ADMIN_CLI_CLIENT_ID = 'admin-cli';

/**
 * First start: the `admin-cli` service client for operators, allowed every admin scope of
 * the identity API (not the internal one). Its secret is taken from configuration or
 * generated; a generated one is returned so it can be printed once — it is stored hashed.
 */
export async function ensureAdminCliClient(dataSource: DataSource, configuredSecret?: string): Promise<string | null> {
  if (await dataSource.manager.existsBy(OAuthClient, { clientId: ADMIN_CLI_CLIENT_ID })) return null;
  const secret = configuredSecret ?? randomToken(32);
  await dataSource.manager
    .createQueryBuilder()
    .insert()
    .into(OAuthClient)
    .values({
      clientId: ADMIN_CLI_CLIENT_ID,
      tenantId: null,
      name: 'Platform administration CLI',
      secretHash: sha256Hex(secret),
      metadata: {
        client_name: 'Platform administration CLI',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: [...IDENTITY_API_SCOPES.filter((s) => s !== 'identity.internal'), ...AUTHZ_API_SCOPES].join(' '),
      },
    })
    .orIgnore()
    .execute();
  return configuredSecret ? null : secret;
}
