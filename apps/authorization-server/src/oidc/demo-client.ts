import type { DataSource } from 'typeorm';
import { OAuthClient } from '../clients/oauth-client.entity';

export const DEMO_CLIENT_ID = 'demo';

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
        scope: 'openid profile email offline_access identity.users.read',
        trusted: true,
      },
    })
    .orIgnore()
    .execute();
  return true;
}
