import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { IDENTITY_API, useAuthorizationServer } from './authz-harness';

const ADMIN_SECRET = 'bootstrap-admin-cli-secret-for-tests-0123456789';

describe('client credentials (seed 002 pattern 2) with an independent OAuth client library', () => {
  const authz = useAuthorizationServer('authz_cc', ADMIN_SECRET);
  let issuer: string;
  let config: oidc.Configuration;

  beforeAll(async () => {
    issuer = authz.issuer;
    config = await oidc.discovery(new URL(issuer), 'admin-cli', undefined, oidc.ClientSecretBasic(ADMIN_SECRET), {
      execute: [oidc.allowInsecureRequests],
    });
  });

  it('publishes discovery with the seed 002 endpoint names and no implicit flow', async () => {
    const metadata = config.serverMetadata();
    expect(metadata).toMatchObject({
      issuer,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      introspection_endpoint: `${issuer}/tokens/introspect`,
      revocation_endpoint: `${issuer}/tokens/revoke`,
    });
    expect(metadata.response_types_supported ?? []).not.toContain('token');
    expect(metadata.grant_types_supported ?? []).toContain('client_credentials');
  });

  it('issues an RFC 9068 JWT access token for the API that verifies against /jwks', async () => {
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'identity.users.read', resource: IDENTITY_API });
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.expires_in).toBeLessThanOrEqual(900);

    const header = decodeProtectedHeader(tokens.access_token);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(`${issuer}/jwks`)), {
      issuer,
      audience: IDENTITY_API,
      typ: 'at+jwt',
    });
    expect(payload).toMatchObject({ client_id: 'admin-cli', sub: 'admin-cli', scope: 'identity.users.read' });
  });

  it('publishes only public keys', async () => {
    const jwks = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) {
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(secret);
      expect(key).toMatchObject({ use: 'sig', kid: expect.any(String) });
    }
    // A key per family: ES256 (access tokens), RS256 (ID tokens by default), EdDSA.
    const families = jwks.keys.map(({ kty, crv, alg }) => [kty, crv ?? null, alg].join(' '));
    expect(new Set(families)).toEqual(new Set(['EC P-256 ES256', 'RSA  RS256', 'OKP Ed25519 EdDSA']));
  });

  it('refuses a wrong client secret with 401 invalid_client', async () => {
    const res = await authz.postForm('admin-cli', 'not-the-secret', '/token', {
      grant_type: 'client_credentials',
      scope: 'identity.users.read',
      resource: IDENTITY_API,
    });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it('refuses a scope the client is not allowed and an unknown resource', async () => {
    await expect(
      oidc.clientCredentialsGrant(config, { scope: 'identity.internal', resource: IDENTITY_API }),
    ).rejects.toMatchObject({
      error: 'invalid_scope',
    });
    await expect(
      oidc.clientCredentialsGrant(config, { scope: 'identity.users.read', resource: 'urn:nope' }),
    ).rejects.toMatchObject({
      error: 'invalid_target',
    });
  });

  it('stores signing keys and client secrets sealed or hashed, never in clear', async () => {
    const { Client } = await import('pg');
    const client = new Client({ connectionString: authz.db.url });
    await client.connect();
    try {
      const keys = await client.query('SELECT private_jwk_sealed FROM signing_keys');
      expect(keys.rows[0].private_jwk_sealed).toMatch(/^v1\./);
      expect(keys.rows[0].private_jwk_sealed).not.toContain('"d"');
      const clients = await client.query(
        "SELECT secret_hash, metadata FROM oauth_clients WHERE client_id = 'admin-cli'",
      );
      expect(JSON.stringify(clients.rows[0])).not.toContain(ADMIN_SECRET);
    } finally {
      await client.end();
    }
  });

  it('counts token requests under their route in the request metrics (not as "unmatched")', async () => {
    await oidc.clientCredentialsGrant(config, { scope: 'identity.users.read', resource: IDENTITY_API });
    const metrics = await (await fetch(`${issuer}/metrics`)).text();
    expect(metrics).toMatch(
      /http_request_duration_seconds_count\{[^}]*route="\/token"[^}]*status_code="200"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(/route="\/\.well-known\/\*"/);
  });
});
