import { freePort } from '@platform/local-infra';
import { createTestDatabase, fetchJson, startService } from '@platform/testing';
import { authorizationServer } from '../src/authorization-server';

export const IDENTITY_API = 'urn:identity-platform:identity-api';
export const AUTHZ_API = 'urn:identity-platform:authorization-api';

/** A running authorization server on a fresh database, with a known admin-cli secret and its real issuer URL. */
export async function startAuthorizationServer(
  prefix: string,
  adminCliSecret: string,
  env: Record<string, string> = {},
) {
  const db = await createTestDatabase(prefix);
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const service = await startService(
    authorizationServer,
    { DATABASE_URL: db.url, ISSUER: issuer, BOOTSTRAP_ADMIN_CLI_SECRET: adminCliSecret, ...env },
    { port },
  );

  /** A form POST with HTTP Basic client authentication, as an OAuth client sends it. */
  const postForm = (clientId: string, secret: string, path: string, body: Record<string, string>) =>
    fetchJson(`${issuer}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(body),
    });

  /** A client-credentials access token, or an error naming the failure. */
  const clientToken = async (clientId: string, secret: string, scope: string, resource: string): Promise<string> => {
    const res = await postForm(clientId, secret, '/token', { grant_type: 'client_credentials', scope, resource });
    if (res.status !== 200) throw new Error(`token: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.access_token;
  };

  return {
    issuer,
    db,
    service,
    postForm,
    clientToken,
    /** admin-cli's token; for the management API as the platform operator (platform.admin), as platform-wide routes need. */
    adminToken: (scope: string, resource = AUTHZ_API) =>
      clientToken('admin-cli', adminCliSecret, resource === AUTHZ_API ? `platform.admin ${scope}` : scope, resource),
    async stop() {
      await service.close();
      await db.drop();
    },
  };
}

export type AuthorizationServerUnderTest = Awaited<ReturnType<typeof startAuthorizationServer>>;
