import { base64url, SignJWT } from 'jose';
import { JwtAccessTokenVerifier, type JwtAccessTokenVerifierOptions } from './jwt-access-token-verifier';
import { newKey, startLocalIssuer, type LocalIssuer } from './local-issuer.spec-helper';

const AUDIENCE = 'urn:test-api';
const now = () => Math.floor(Date.now() / 1000);

// A real JWKS endpoint on loopback, as the verifier would see in production.
describe('JwtAccessTokenVerifier', () => {
  let as: LocalIssuer;

  beforeAll(async () => {
    as = await startLocalIssuer(AUDIENCE);
  });
  afterAll(() => as.stop());

  const verifier = (options: Partial<JwtAccessTokenVerifierOptions> = {}) =>
    new JwtAccessTokenVerifier({ issuer: as.issuer, audience: AUDIENCE, jwksUri: as.jwksUri, ...options });

  const rejects = async (token: string, message: RegExp) =>
    expect(verifier().verify(token)).rejects.toMatchObject({
      status: 401,
      code: 'invalid_token',
      message: expect.stringMatching(message),
    });

  it('turns a valid token into a principal', async () => {
    const claims = { tenant_id: 't1', scope: 'a b', permissions: ['users:read'], roles: ['admin'] };
    const principal = await verifier().verify(await as.sign(claims));
    expect(principal).toMatchObject({
      subject: 'user-1',
      clientId: 'app',
      tenantId: 't1',
      roles: ['admin'],
      kind: 'user',
      isPlatformAdmin: false,
      claims: expect.objectContaining({ tenant_id: 't1' }),
    });
    expect([...principal.scopes]).toEqual(['a', 'b']);
    expect([...principal.permissions]).toEqual(['users:read']);
  });

  it('recognizes client-credentials tokens (sub = client_id)', async () => {
    expect((await verifier().verify(await as.sign({ sub: 'app' }))).kind).toBe('client');
  });

  it('accepts the application/at+jwt spelling of the type, in any case', async () => {
    await expect(verifier().verify(await as.sign({}, { typ: 'application/AT+JWT' }))).resolves.toBeDefined();
  });

  it('tolerates clock skew within clockToleranceSec', async () => {
    const token = await as.sign({ exp: now() - 10, iat: now() - 300 });
    await expect(verifier().verify(token)).resolves.toBeDefined();
    await expect(verifier({ clockToleranceSec: 0 }).verify(token)).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('rejects another audience', async () => {
    await rejects(await as.sign({ aud: 'urn:other' }), /aud/);
  });

  it('rejects another issuer', async () => {
    await rejects(await as.sign({ iss: 'https://evil.example' }), /iss/);
  });

  it('rejects an expired token', async () => {
    await rejects(await as.sign({ exp: now() - 120 }), /expired/);
  });

  it('rejects a token issued in the future', async () => {
    await rejects(await as.sign({ iat: now() + 3600 }), /future/);
  });

  it('rejects a token not yet valid (nbf)', async () => {
    await rejects(await as.sign({ nbf: now() + 3600 }), /nbf/);
  });

  it.each(['sub', 'client_id', 'iat', 'exp'])('rejects a token without %s', async (claim) => {
    await rejects(await as.sign({ [claim]: undefined }), new RegExp(claim));
  });

  it('rejects a non-string client_id', async () => {
    await rejects(await as.sign({ client_id: 42 }), /client_id/);
  });

  it('rejects alg none', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: 'k1' }));
    const payload = base64url.encode(
      JSON.stringify({ sub: 'x', client_id: 'x', iss: as.issuer, aud: AUDIENCE, iat: now(), exp: now() + 300 }),
    );
    await rejects(`${header}.${payload}.`, /algorithm/);
  });

  it('rejects HS256 signed with the public key as the HMAC secret (key confusion)', async () => {
    const token = await new SignJWT({ sub: 'x', client_id: 'x', iss: as.issuer, aud: AUDIENCE, iat: now() })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: as.key.kid })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(JSON.stringify(as.key.jwk)));
    await rejects(token, /algorithm/);
  });

  it('rejects a token signed by a key that is not in the JWKS', async () => {
    await rejects(await as.sign({}, {}, await newKey('foreign')), /unknown key/);
  });

  it('rejects a foreign key that reuses a published kid', async () => {
    await rejects(await as.sign({}, {}, { ...(await newKey('x')), kid: as.key.kid }), /could not be verified/);
  });

  it.each(['jku', 'x5u'])('rejects a token carrying a %s header', async (name) => {
    await rejects(await as.sign({}, { [name]: 'https://evil.example/keys' }), /names its own key/);
  });

  it('rejects an embedded jwk header, even one holding the real key', async () => {
    await rejects(await as.sign({}, { jwk: as.key.jwk }), /names its own key/);
  });

  it.each([
    ['JWT (e.g. an ID token)', 'JWT'],
    ['missing', undefined],
  ])('rejects a token whose typ is %s', async (_case, typ) => {
    await rejects(await as.sign({}, { typ }), /not a JWT access token/);
  });

  it('honours a custom requiredTyp', async () => {
    const custom = verifier({ requiredTyp: 'application/example+jwt' });
    await expect(custom.verify(await as.sign({}, { typ: 'example+jwt' }))).resolves.toBeDefined();
    await expect(custom.verify(await as.sign({}))).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('rejects a tampered payload', async () => {
    const [h, , s] = (await as.sign({})).split('.');
    const forged = base64url.encode(
      JSON.stringify({ sub: 'admin', client_id: 'app', iss: as.issuer, aud: AUDIENCE, exp: now() + 300, iat: now() }),
    );
    await rejects(`${h}.${forged}.${s}`, /could not be verified/);
  });

  it.each(['', 'abc', 'a.b.c', '....'])('rejects garbage %j as malformed', async (token) => {
    await expect(verifier().verify(token)).rejects.toMatchObject({ code: 'invalid_token' });
  });
});

describe('JwtAccessTokenVerifier and the JWKS endpoint', () => {
  let as: LocalIssuer;

  beforeEach(async () => {
    as = await startLocalIssuer(AUDIENCE);
  });
  afterEach(() => as.stop());

  const verifier = (jwksCooldownMs?: number) =>
    new JwtAccessTokenVerifier({ issuer: as.issuer, audience: AUDIENCE, jwksUri: as.jwksUri, jwksCooldownMs });

  it('caches the key set', async () => {
    const shared = verifier();
    for (let i = 0; i < 3; i += 1) await shared.verify(await as.sign({}));
    expect(as.fetches).toBe(1);
  });

  it('picks up a rotated key on demand and keeps verifying tokens of the old one', async () => {
    const shared = verifier(0);
    const before = await as.sign({});
    await shared.verify(before);
    await as.rotate('k2');
    await expect(shared.verify(await as.sign({}))).resolves.toMatchObject({ subject: 'user-1' });
    await expect(shared.verify(before)).resolves.toMatchObject({ subject: 'user-1' });
    expect(as.fetches).toBe(2);
  });

  it('does not let unknown kids hammer the JWKS endpoint (cooldown)', async () => {
    const shared = verifier(60_000);
    await shared.verify(await as.sign({}));
    for (const kid of ['f1', 'f2', 'f3']) {
      await expect(shared.verify(await as.sign({}, {}, await newKey(kid)))).rejects.toMatchObject({
        code: 'invalid_token',
      });
    }
    expect(as.fetches).toBe(1);
  });

  it('answers 503, not 401, when the signing keys cannot be fetched', async () => {
    const unreachable = new JwtAccessTokenVerifier({
      issuer: as.issuer,
      audience: AUDIENCE,
      jwksUri: 'http://127.0.0.1:9/jwks',
    });
    await expect(unreachable.verify(await as.sign({}))).rejects.toMatchObject({
      code: 'token_verification_unavailable',
      status: 503,
    });
  });

  it.each([
    ['answers 500', 500, '{"error":"boom"}'],
    ['serves malformed JSON', 200, '<html>'],
    ['serves no key set', 200, '{"keys":"nope"}'],
  ])('answers 503 when the JWKS endpoint %s', async (_case, status, body) => {
    as.breakWith(status, body);
    await expect(verifier().verify(await as.sign({}))).rejects.toMatchObject({
      code: 'token_verification_unavailable',
      status: 503,
    });
  });

  it('never fetches keys for a token whose algorithm is refused', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt' }));
    await expect(verifier().verify(`${header}.${base64url.encode('{}')}.`)).rejects.toMatchObject({ status: 401 });
    expect(as.fetches).toBe(0);
  });
});

describe('JwtAccessTokenVerifier remembering verified tokens', () => {
  let as: LocalIssuer;
  beforeAll(async () => {
    as = await startLocalIssuer(AUDIENCE);
  });
  afterAll(() => as.stop());
  afterEach(() => jest.restoreAllMocks());

  const signatureChecks = () =>
    jest.spyOn(
      JwtAccessTokenVerifier.prototype as unknown as { verifiedClaims(token: string): Promise<unknown> },
      'verifiedClaims',
    );
  const verifier = (verifiedTokenTtlMs?: number) =>
    new JwtAccessTokenVerifier({
      issuer: as.issuer,
      audience: AUDIENCE,
      jwksUri: as.jwksUri,
      clockToleranceSec: 0,
      verifiedTokenTtlMs,
    });

  it('checks a token once, and its expiry on every use', async () => {
    const checks = signatureChecks();
    const shared = verifier();
    const token = await as.sign({ exp: now() + 60 });
    await shared.verify(token);
    await expect(shared.verify(token)).resolves.toMatchObject({ subject: 'user-1' });
    expect(checks).toHaveBeenCalledTimes(1);
    const later = Date.now() + 61_000;
    jest.spyOn(Date, 'now').mockReturnValue(later);
    await expect(shared.verify(token)).rejects.toMatchObject({ code: 'invalid_token', message: /expired/ });
  });

  it('still refuses a tampered copy of a remembered token', async () => {
    const shared = verifier();
    const token = await as.sign({ roles: ['viewer'] });
    await shared.verify(token);
    const [header, , signature] = token.split('.');
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    const elevated = `${header}.${base64url.encode(JSON.stringify({ ...payload, roles: ['admin'] }))}.${signature}`;
    await expect(shared.verify(elevated)).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('checks every time when told to remember nothing', async () => {
    const checks = signatureChecks();
    const shared = verifier(0);
    const token = await as.sign({});
    await shared.verify(token);
    await shared.verify(token);
    expect(checks).toHaveBeenCalledTimes(2);
  });
});
