import { affectedRows } from '@platform/database';
import type { DataSource } from 'typeorm';
import { OAuthClient } from '../clients/oauth-client.entity';

export const DEMO_CLIENT_ID = 'demo';

/**
 * Sign-in scopes only. Anyone can start a device flow as this public client, so an admin scope
 * here would let a phished administrator's approval hand an attacker admin power (issue 11).
 */
const DEMO_SCOPE = 'openid profile email offline_access';
/** What the first releases gave it; a database still holding exactly that is narrowed at start-up. */
const FIRST_RELEASE_SCOPE = `${DEMO_SCOPE} identity.users.read`;

/**
 * First start: a public client to try the platform with — device flow from a terminal, or
 * code + PKCE to a loopback redirect (any port, RFC 8252 §7.3). It signs users in to the
 * default tenant and skips consent. Production deployments turn it off (BOOTSTRAP_DEMO_CLIENT=false).
 */
export async function ensureDemoClient(dataSource: DataSource): Promise<boolean> {
  if (await dataSource.manager.existsBy(OAuthClient, { clientId: DEMO_CLIENT_ID })) return false;
  await dataSource.manager
    .createQueryBuilder()
    .insert()
    .into(OAuthClient)
    .values({
      clientId: DEMO_CLIENT_ID,
      tenantId: null,
      name: 'Demo app',
      secretHash: null,
      metadata: {
        client_name: 'Demo app',
        application_type: 'native',
        grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
        response_types: ['code'],
        redirect_uris: ['http://127.0.0.1/callback'],
        post_logout_redirect_uris: [],
        token_endpoint_auth_method: 'none',
        scope: DEMO_SCOPE,
        trusted: true,
      },
    })
    .orIgnore()
    .execute();
  return true;
}

/** Existing databases: drops the first release's admin scope from `demo`, unless an operator changed its scopes. */
export async function narrowDemoClient(dataSource: DataSource): Promise<boolean> {
  const result = await dataSource.query(
    `UPDATE oauth_clients SET metadata = jsonb_set(metadata, '{scope}', to_jsonb($2::text))
      WHERE client_id = $1 AND metadata->>'scope' = $3`,
    [DEMO_CLIENT_ID, DEMO_SCOPE, FIRST_RELEASE_SCOPE],
  );
  return affectedRows(result) > 0;
}
