import { createServer, type Server } from 'node:http';
import { base64url, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { AccessTokenVerifier } from './access-token-verifier';

// A real JWKS endpoint on loopback, as the verifier would see in production.
describe('AccessTokenVerifier', () => {
  let server: Server;
  let jwks: JWK[] = [];
  let issuer: string;
  let keys: Awaited<ReturnType<typeof newKey>>;
  const audience = 'urn:test-api';

  async function newKey(kid: string) {
    const pair = await generateKeyPair('ES256', { extractable: true });
    return { kid, ...pair, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256' } };
  }

  const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = {}, key = keys) => {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      iss: issuer,
      aud: audience,
      sub: 'user-1',
      client_id: 'app',
      scope: 'a b',
      iat: now,
      exp: now + 300,
      ...claims,
    };
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: key.kid, ...header } as never)
      .sign(key.privateKey);
  };

  const verifier = () => new AccessTokenVerifier({ issuer, audience, jwksUri: `${issuer}/jwks`, jwksCooldownMs: 0 });

  beforeAll(async () => {
    server = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: jwks })),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    keys = await newKey('k1');
    jwks = [keys.jwk];
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('turns a valid token into a principal', async () => {
    const principal = await verifier().verify(await sign({ tenant_id: 't1', permissions: ['users:read'] }));
    expect(principal).toMatchObject({
      subject: 'user-1',
      clientId: 'app',
      tenantId: 't1',
      kind: 'user',
      isPlatformAdmin: false,
    });
    expect([...principal.scopes]).toEqual(['a', 'b']);
    expect(principal.permissions.has('users:read')).toBe(true);
  });

  it('recognizes client-credentials tokens (sub = client_id)', async () => {
    expect((await verifier().verify(await sign({ sub: 'app' }))).kind).toBe('client');
  });

  const rejects = async (token: string, message: RegExp) =>
    expect(verifier().verify(token)).rejects.toMatchObject({
      code: 'invalid_token',
      message: expect.stringMatching(message),
    });

  it('rejects another audience', async () => {
    await rejects(await sign({ aud: 'urn:other' }), /aud/);
  });

  it('rejects another issuer', async () => {
    await rejects(await sign({ iss: 'https://evil.example' }), /iss/);
  });

  it('rejects an expired token', async () => {
    await rejects(await sign({ exp: Math.floor(Date.now() / 1000) - 120 }), /expired/);
  });

  it('rejects a token issued in the future', async () => {
    await rejects(await sign({ iat: Math.floor(Date.now() / 1000) + 3600 }), /iat|future/);
  });

  it('rejects a token not yet valid (nbf)', async () => {
    await rejects(await sign({ nbf: Math.floor(Date.now() / 1000) + 3600 }), /nbf/);
  });

  it('rejects alg none', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: 'k1' }));
    const payload = base64url.encode(
      JSON.stringify({ sub: 'x', client_id: 'x', iss: issuer, aud: audience, iat: 1, exp: 9999999999 }),
    );
    await rejects(`${header}.${payload}.`, /./);
  });

  it('rejects HS256 signed with the public key as the HMAC secret (key confusion)', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(keys.jwk));
    const token = await new SignJWT({ sub: 'x', client_id: 'x', iat: Math.floor(Date.now() / 1000) })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('5m')
      .sign(secret);
    await rejects(token, /algorithm|key|verified/);
  });

  it('rejects a token signed by a key that is not in the JWKS', async () => {
    await rejects(await sign({}, {}, await newKey('foreign')), /unknown key|verified/);
  });

  it.each(['jku', 'x5u'])('rejects a token carrying a %s header', async (name) => {
    await rejects(await sign({}, { [name]: 'https://evil.example/keys' }), /names its own key/);
  });

  it('rejects an embedded jwk header', async () => {
    await rejects(await sign({}, { jwk: keys.jwk }), /names its own key/);
  });

  it('rejects a token without the at+jwt type (e.g. an ID token)', async () => {
    await rejects(await sign({}, { typ: 'JWT' }), /not a JWT access token/);
  });

  it('rejects a tampered payload', async () => {
    const [h, , s] = (await sign({})).split('.');
    const forged = base64url.encode(
      JSON.stringify({ sub: 'admin', client_id: 'app', iss: issuer, aud: audience, exp: 9999999999, iat: 1 }),
    );
    await rejects(`${h}.${forged}.${s}`, /verified/);
  });

  it('picks up a rotated key on demand and keeps verifying tokens of the old one', async () => {
    const shared = verifier();
    const before = await sign({});
    await shared.verify(before);
    const next = await newKey('k2');
    jwks = [next.jwk, keys.jwk];
    await expect(shared.verify(await sign({}, {}, next))).resolves.toMatchObject({ subject: 'user-1' });
    await expect(shared.verify(before)).resolves.toMatchObject({ subject: 'user-1' });
  });

  it('answers 503, not 401, when the signing keys cannot be fetched', async () => {
    const unreachable = new AccessTokenVerifier({ issuer, audience, jwksUri: 'http://127.0.0.1:9/jwks' });
    await expect(unreachable.verify(await sign({}))).rejects.toMatchObject({
      code: 'token_verification_unavailable',
      status: 503,
    });
  });
});
