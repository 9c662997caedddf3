import { calculateJwkThumbprint, type CryptoKey, decodeJwt, exportJWK, type JWK, SignJWT } from 'jose';
import { createHash, randomUUID } from 'node:crypto';
import * as oidc from 'openid-client';
import { IDENTITY_API, usePlatform } from './support/platform';
import { type RelyingParty, relyingParty } from './support/relying-party';
import { expectRule } from './support/rules';

const RFC = 'RFC 9449 §7';

/**
 * Hostile suite: DPoP-bound access tokens (RFC 9449) at the resource servers. A token bound to
 * a key (`cnf.jkt`) is worthless without a fresh proof signed by that key for this very request;
 * stolen, it cannot be replayed as a bearer token, nor with a captured proof.
 */
describe('hostile: DPoP-bound tokens at the resource servers', () => {
  const platform = usePlatform('hostile_dpop');
  let tenantId: string;
  let service: RelyingParty;
  let keyPair: Awaited<ReturnType<typeof oidc.randomDPoPKeyPair>>;
  let publicJwk: JWK;
  let accessToken: string;
  let usersUrl: string;

  beforeAll(async () => {
    tenantId = (await platform.createTenant('dpop-corp')).id;
    await platform.createUser(tenantId, 'someone@dpop.example', 'proofs of possession, please');
    service = await relyingParty(platform, {
      name: 'Bound partner',
      type: 'service',
      tenantId,
      redirectUris: [],
      scopes: ['identity.users.read'],
      dpopBoundAccessTokens: true,
    });
    keyPair = await oidc.randomDPoPKeyPair('ES256');
    publicJwk = await exportJWK(keyPair.publicKey);
    const tokens = await oidc.clientCredentialsGrant(
      service.config,
      { scope: 'identity.users.read', resource: IDENTITY_API },
      { DPoP: oidc.getDPoPHandle(service.config, keyPair) },
    );
    expect(tokens.token_type.toLowerCase()).toBe('dpop');
    accessToken = tokens.access_token;
    usersUrl = `${platform.identityUrl}/api/v1/users`;
  });

  const ath = (token: string) => createHash('sha256').update(token).digest('base64url');

  /** A DPoP proof signed with the bound key; every claim can be overridden (undefined drops it). */
  const proof = (claims: Record<string, unknown> = {}, privateKey: CryptoKey = keyPair.privateKey, jwk = publicJwk) =>
    new SignJWT({
      htm: 'GET',
      htu: usersUrl,
      iat: Math.floor(Date.now() / 1000),
      jti: randomUUID(),
      ath: ath(accessToken),
      ...claims,
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
      .sign(privateKey);

  const getUsers = async (headers: Record<string, string>, url = usersUrl) => {
    const res = await fetch(url, { headers });
    return {
      status: res.status,
      challenge: res.headers.get('www-authenticate') ?? '',
      code: ((await res.json()) as { error?: { code?: string } }).error?.code,
    };
  };
  const withProof = async (dpop: string) => getUsers({ authorization: `DPoP ${accessToken}`, dpop });

  it('issues a token bound to the proof key (cnf.jkt)', async () => {
    expect(decodeJwt(accessToken)).toMatchObject({ cnf: { jkt: await calculateJwkThumbprint(publicJwk) } });
  });

  it(`${RFC}.2: refuses the bound token presented as a bearer token`, async () => {
    const res = await getUsers({ authorization: `Bearer ${accessToken}` });
    expectRule(`${RFC}.2: a DPoP-bound token is not a bearer token`, res.status).toBe(401);
    expect(res.code).toBe('invalid_token');
    expect(res.challenge).toMatch(/^DPoP error="invalid_token"/);
  });

  it(`${RFC}.1: accepts the bound token with the DPoP scheme and a valid proof`, async () => {
    const res = await withProof(await proof());
    expectRule(`${RFC}.1: DPoP scheme + valid proof`, res).toMatchObject({ status: 200 });
  });

  it(`${RFC}.1: refuses the DPoP scheme without a proof`, async () => {
    const res = await getUsers({ authorization: `DPoP ${accessToken}` });
    expectRule(`${RFC}.1: a proof is required`, res).toMatchObject({ status: 401, code: 'invalid_dpop_proof' });
    expect(res.challenge).toMatch(/^DPoP error="invalid_dpop_proof".*algs="[^"]*ES256/);
  });

  it('RFC 9449 §11.1: refuses a replayed proof (jti seen before)', async () => {
    const once = await proof();
    expect((await withProof(once)).status).toBe(200);
    const replay = await withProof(once);
    expectRule('RFC 9449 §11.1: proof replay', replay).toMatchObject({ status: 401, code: 'invalid_dpop_proof' });
  });

  it('RFC 9449 §4.3: refuses a proof made for another URL or method', async () => {
    const otherUrl = await withProof(await proof({ htu: `${platform.identityUrl}/api/v1/roles` }));
    expectRule('RFC 9449 §4.3: htu must be this URL', otherUrl).toMatchObject({
      status: 401,
      code: 'invalid_dpop_proof',
    });
    const otherMethod = await withProof(await proof({ htm: 'POST' }));
    expectRule('RFC 9449 §4.3: htm must be this method', otherMethod).toMatchObject({
      status: 401,
      code: 'invalid_dpop_proof',
    });
    // The query string is not part of htu.
    const filtered = await getUsers(
      { authorization: `DPoP ${accessToken}`, dpop: await proof() },
      `${usersUrl}?limit=1`,
    );
    expect(filtered.status).toBe(200);
  });

  it('RFC 9449 §4.3: refuses a proof whose ath is not the hash of this token', async () => {
    const res = await withProof(await proof({ ath: ath(`${accessToken}x`) }));
    expectRule('RFC 9449 §4.3: ath binds the proof to the token', res).toMatchObject({
      status: 401,
      code: 'invalid_dpop_proof',
    });
    const none = await withProof(await proof({ ath: undefined }));
    expect(none).toMatchObject({ status: 401, code: 'invalid_dpop_proof' });
  });

  it('RFC 9449 §4.3: refuses a stale proof and a proof signed by another key', async () => {
    const stale = await withProof(await proof({ iat: Math.floor(Date.now() / 1000) - 3600 }));
    expectRule('RFC 9449 §4.3: iat within the window', stale).toMatchObject({
      status: 401,
      code: 'invalid_dpop_proof',
    });
    const thief = await oidc.randomDPoPKeyPair('ES256');
    const foreign = await withProof(await proof({}, thief.privateKey, await exportJWK(thief.publicKey)));
    expectRule('RFC 9449 §6.1: the proof key must be the bound key (cnf.jkt)', foreign).toMatchObject({
      status: 401,
      code: 'invalid_dpop_proof',
    });
  });
});
