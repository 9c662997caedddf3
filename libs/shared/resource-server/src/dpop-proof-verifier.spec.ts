import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createHash, createHmac } from 'node:crypto';
import { DpopProofVerifier } from './dpop-proof-verifier';
import { InMemoryDpopReplayStore } from './dpop-replay-store';
import { dpopProof, type DpopKey, newDpopKey } from './local-issuer.spec-helper';

const URL_ = 'https://api.example.test/api/v1/things';
const TOKEN = 'header.payload.signature';
const now = () => Math.floor(Date.now() / 1000);

describe('DpopProofVerifier', () => {
  let key: DpopKey;
  beforeAll(async () => {
    key = await newDpopKey();
  });

  const expected = (overrides: Partial<{ method: string; url: string; accessToken: string; jkt?: string }> = {}) => ({
    method: 'GET',
    url: URL_,
    accessToken: TOKEN,
    jkt: key.jkt,
    ...overrides,
  });
  const proof = (claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}, k = key) =>
    dpopProof(k, { htm: 'GET', htu: URL_, token: TOKEN }, claims, header);
  const rejects = async (promise: Promise<unknown>, message: RegExp) =>
    expect(promise).rejects.toMatchObject({
      status: 401,
      code: 'invalid_dpop_proof',
      message: expect.stringMatching(message),
    });

  it('accepts a proof for this request, token and key', async () => {
    await expect(new DpopProofVerifier().verify(await proof(), expected())).resolves.toBeUndefined();
  });

  it('accepts a proof for an unbound token when no jkt is expected', async () => {
    const other = await newDpopKey();
    await expect(
      new DpopProofVerifier().verify(await proof({}, {}, other), expected({ jkt: undefined })),
    ).resolves.toBeUndefined();
  });

  it('compares htu without query, fragment or default port', async () => {
    const p = await proof({ htu: 'https://API.example.test:443/api/v1/things?x=1#f' });
    await expect(new DpopProofVerifier().verify(p, expected())).resolves.toBeUndefined();
  });

  it('refuses a missing proof and more than one proof', async () => {
    await rejects(new DpopProofVerifier().verify(undefined, expected()), /required/);
    const p = await proof();
    await rejects(new DpopProofVerifier().verify(`${p}, ${p}`, expected()), /exactly one/);
    await rejects(new DpopProofVerifier().verify([p, p], expected()), /exactly one/);
  });

  it('refuses a proof whose key is not the bound key', async () => {
    await rejects(new DpopProofVerifier().verify(await proof({}, {}, await newDpopKey()), expected()), /bound to/);
  });

  it.each([
    ['another method', { htm: 'POST' }, /method/],
    ['another URL', { htu: 'https://api.example.test/api/v1/other' }, /URL/],
    ['another host', { htu: 'https://evil.example/api/v1/things' }, /URL/],
    ['a non-http htu', { htu: 'urn:x' }, /URL/],
    ['another token', { ath: createHash('sha256').update('other').digest('base64url') }, /ath/],
    ['no ath', { ath: undefined }, /ath/],
    ['an old iat', { iat: now() - 120 }, /too old/],
    ['a future iat', { iat: now() + 120 }, /too new/],
    ['no jti', { jti: undefined }, /jti/],
    ['no htm', { htm: undefined }, /htm/],
    ['an expired exp', { exp: now() - 60 }, /expired/],
  ])('refuses a proof with %s', async (_what, claims, message) => {
    await rejects(new DpopProofVerifier().verify(await proof(claims), expected()), message);
  });

  it('refuses a proof without typ dpop+jwt', async () => {
    await rejects(new DpopProofVerifier().verify(await proof({}, { typ: 'JWT' }), expected()), /typ/);
  });

  it('refuses a proof without an embedded jwk', async () => {
    await rejects(new DpopProofVerifier().verify(await proof({}, { jwk: undefined }), expected()), /verified/);
  });

  it('refuses a proof whose embedded jwk holds the private key', async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = await exportJWK(pair.privateKey);
    const p = await new SignJWT({ htm: 'GET', htu: URL_, iat: now(), jti: 'x', ath: 'y' })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: privateJwk })
      .sign(pair.privateKey);
    await rejects(new DpopProofVerifier().verify(p, expected({ jkt: undefined })), /public key|verified/);
  });

  it('refuses a symmetric (HS256) proof', async () => {
    // Built by hand: jose will not put a secret key in a header.
    const secret = Buffer.alloc(32, 7);
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signingInput = `${b64({ alg: 'HS256', typ: 'dpop+jwt', jwk: { kty: 'oct', k: secret.toString('base64url') } })}.${b64({ htm: 'GET', htu: URL_, iat: now(), jti: 'x' })}`;
    const p = `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
    await rejects(new DpopProofVerifier().verify(p, expected({ jkt: undefined })), /algorithm/);
  });

  it('refuses a proof signed by another key than the embedded one', async () => {
    const other = await newDpopKey();
    await rejects(new DpopProofVerifier().verify(await proof({}, { jwk: other.jwk }), expected()), /signature/);
  });

  it('refuses a replayed proof, and keeps an invalid one out of the store', async () => {
    const store = new InMemoryDpopReplayStore();
    const verifier = new DpopProofVerifier({ replayStore: store });
    const p = await proof();
    await rejects(verifier.verify(p, expected({ method: 'POST' })), /method/);
    expect(store.size).toBe(0);
    await verifier.verify(p, expected());
    await rejects(verifier.verify(p, expected()), /used before/);
  });

  it('honours a configured iat window', async () => {
    const p = await proof({ iat: now() - 100 });
    await expect(new DpopProofVerifier({ iatWindowSec: 300 }).verify(p, expected())).resolves.toBeUndefined();
  });
});
