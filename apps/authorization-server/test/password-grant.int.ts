import { freePort } from '@platform/local-infra';
import { fetchJson } from '@platform/testing';
import { IDENTITY_API, startAuthorizationServer, type AuthorizationServerUnderTest } from './authz-harness';

const ADMIN_SECRET = 'bootstrap-admin-cli-secret-for-password-tests-01';

/** The password grant needs the user directory; with it down, a clear 503 (and machine clients carry on). */
describe('password grant while the identity backend is down', () => {
  let authz: AuthorizationServerUnderTest;

  beforeAll(async () => {
    // Nothing listens on this port: every call to the backend fails.
    const deadBackend = `http://127.0.0.1:${await freePort()}`;
    authz = await startAuthorizationServer('authz_ropc_down', ADMIN_SECRET, {
      IDENTITY_BACKEND_URL: deadBackend,
      IDENTITY_BACKEND_TIMEOUT_MS: '500',
    });
  });

  afterAll(async () => {
    await authz?.stop();
  });

  it('answers 503 temporarily_unavailable, not invalid_grant', async () => {
    const token = await authz.adminToken('authz.clients.write');
    const created = await fetchJson(`${authz.issuer}/api/v1/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'legacy app', type: 'confidential', grantTypes: ['password'], redirectUris: [] }),
    });
    expect(created.status).toBe(201);
    const { clientId, clientSecret } = created.body;

    const res = await authz.postForm(clientId, clientSecret, '/token', {
      grant_type: 'password',
      username: 'ada@example.com',
      password: 'a password that cannot be checked',
    });
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('temporarily_unavailable');

    const machine = await authz.clientToken('admin-cli', ADMIN_SECRET, 'identity.users.read', IDENTITY_API);
    expect(machine).toEqual(expect.any(String));
  });
});
