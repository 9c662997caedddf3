import { fetchJsonWithBearer } from '@platform/testing';
import * as oidc from 'openid-client';
import { useAuthorizationServer } from './authz-harness';

const SECRET = 'partner-admin-cli-secret-0123456789abcdefghijk';

describe('partners: registered clients, opaque tokens, introspection, revocation, secret rotation', () => {
  const authz = useAuthorizationServer('authz_partners', SECRET);
  let issuer: string;
  let admin: string;

  const manage = (method: string, path: string, body?: unknown) =>
    fetchJsonWithBearer(`${issuer}/api/v1${path}`, admin, method, body);

  beforeAll(async () => {
    issuer = authz.issuer;
    admin = await authz.adminToken('authz.clients.read authz.clients.write authz.apis.read authz.apis.write');
  });

  it('registers an API and a partner client, whose opaque token introspects active until revoked', async () => {
    const api = await manage('POST', '/resource-servers', {
      identifier: 'https://api.partner.example',
      name: 'Partner API',
      scopes: ['orders.read', 'orders.write'],
      tokenFormat: 'opaque',
    });
    expect(api.status).toBe(201);
    const created = await manage('POST', '/clients', {
      name: 'Partner sync',
      type: 'service',
      scopes: ['orders.read'],
    });
    expect(created.status).toBe(201);
    const { clientId, clientSecret } = created.body;
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await manage('GET', `/clients/${clientId}`)).body).not.toHaveProperty('clientSecret');

    const config = await oidc.discovery(new URL(issuer), clientId, undefined, oidc.ClientSecretBasic(clientSecret), {
      execute: [oidc.allowInsecureRequests],
    });
    const tokens = await oidc.clientCredentialsGrant(config, {
      scope: 'orders.read',
      resource: 'https://api.partner.example',
    });
    expect(tokens.access_token.split('.')).toHaveLength(1); // opaque, not a JWT

    const active = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(active).toMatchObject({
      active: true,
      client_id: clientId,
      scope: 'orders.read',
      aud: 'https://api.partner.example',
    });

    // Another client can neither see nor revoke it.
    const other = (await manage('POST', '/clients', { name: 'Nosy', type: 'service', scopes: ['orders.read'] })).body;
    const nosy = await oidc.discovery(
      new URL(issuer),
      other.clientId,
      undefined,
      oidc.ClientSecretBasic(other.clientSecret),
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    expect((await oidc.tokenIntrospection(nosy, tokens.access_token)).active).toBe(false);
    await oidc.tokenRevocation(nosy, tokens.access_token).catch(() => undefined);
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(true);

    await oidc.tokenRevocation(config, tokens.access_token);
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(false);

    await expect(
      oidc.clientCredentialsGrant(config, { scope: 'orders.write', resource: 'https://api.partner.example' }),
    ).rejects.toMatchObject({
      error: 'invalid_scope',
    });
  });

  it('rotates a secret with an overlap window: both work, then only the new one', async () => {
    const { clientId, clientSecret: first } = (
      await manage('POST', '/clients', { name: 'Rotating', type: 'service', scopes: ['identity.users.read'] })
    ).body;
    const rotated = await manage('POST', `/clients/${clientId}/secret`, { overlapSeconds: 2 });
    const second = rotated.body.clientSecret;
    expect(second).not.toBe(first);
    const grant = (secret: string) =>
      authz.postForm(clientId, secret, '/token', {
        grant_type: 'client_credentials',
        scope: 'identity.users.read',
        resource: 'urn:identity-platform:identity-api',
      });
    expect((await grant(first)).status).toBe(200);
    expect((await grant(second)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2_200));
    expect((await grant(first)).status).toBe(401);
    expect((await grant(second)).status).toBe(200);
  });

  it("puts a tenant client's tenant into its JWT access tokens", async () => {
    const tenantId = '6f1c2f8e-2d1b-4f7e-9a55-3b0f4c2d9e11';
    const { clientId, clientSecret } = (
      await manage('POST', '/clients', {
        name: 'Tenant app',
        type: 'service',
        scopes: ['identity.users.read'],
        tenantId,
      })
    ).body;
    const res = await authz.postForm(clientId, clientSecret, '/token', {
      grant_type: 'client_credentials',
      scope: 'identity.users.read',
      resource: 'urn:identity-platform:identity-api',
    });
    const claims = JSON.parse(Buffer.from(res.body.access_token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ client_id: clientId, sub: clientId, tenant_id: tenantId });
  });

  it('rejects bad registrations with a coded 400 and deletes clients', async () => {
    const bad = await manage('POST', '/clients', {
      name: 'Bad',
      type: 'confidential',
      redirectUris: ['javascript:alert(1)'],
    });
    expect(bad.status).toBe(400);
    const { clientId } = (await manage('POST', '/clients', { name: 'Doomed', type: 'service' })).body;
    expect((await manage('DELETE', `/clients/${clientId}`)).status).toBe(204);
    expect((await manage('GET', `/clients/${clientId}`)).status).toBe(404);
  });

  it('updates a registration in place: lifetimes, scopes, redirect URIs; refuses what a client type cannot have', async () => {
    const created = await manage('POST', '/clients', {
      name: 'Nightly export',
      type: 'service',
      scopes: ['identity.users.read', 'identity.roles.read'],
    });
    const { clientId, clientSecret } = created.body;
    const token = async (scope: string) => {
      const res = await authz.postForm(clientId, clientSecret, '/token', {
        grant_type: 'client_credentials',
        scope,
        resource: 'urn:identity-platform:identity-api',
      });
      return res;
    };
    const lifetime = (jwt: string) => {
      const { iat, exp } = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
      return exp - iat;
    };
    expect(lifetime((await token('identity.users.read')).body.access_token)).toBe(900);

    const updated = await manage('PATCH', `/clients/${clientId}`, {
      name: 'Nightly export v2',
      scopes: ['identity.users.read'],
      accessTokenTtlSeconds: 120,
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Nightly export v2', metadata: { access_token_ttl: 120 } });
    expect(updated.body).not.toHaveProperty('clientSecret');
    expect(lifetime((await token('identity.users.read')).body.access_token)).toBe(120);
    expect((await token('identity.roles.read')).body.error).toBe('invalid_scope');
    // The secret did not change.
    expect((await token('identity.users.read')).status).toBe(200);

    const spa = (
      await manage('POST', '/clients', { name: 'SPA', type: 'spa', redirectUris: ['https://spa.example/cb'] })
    ).body;
    for (const [body, code] of [
      [{ grantTypes: ['password'] }, 'invalid_client_metadata'],
      [{ type: 'service' }, 'validation_failed'],
      [{ redirectUris: ['not a url'] }, 'validation_failed'],
      [{ accessTokenTtlSeconds: 5 }, 'validation_failed'],
    ] as const) {
      const refused = await manage('PATCH', `/clients/${spa.clientId}`, body);
      expect({ body, status: refused.status, code: refused.body.error?.code }).toEqual({ body, status: 400, code });
    }
    expect((await manage('GET', `/clients/${spa.clientId}`)).body.metadata.grant_types).toEqual([
      'authorization_code',
      'refresh_token',
    ]);
    expect((await manage('PATCH', '/clients/no-such-client', { name: 'x' })).status).toBe(404);
  });
});
