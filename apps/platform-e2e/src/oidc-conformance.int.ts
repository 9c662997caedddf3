import { Browser, fetchJson } from '@platform/testing';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import * as speakeasy from 'speakeasy';
import { oauthCalls } from './support/oauth-calls';
import { AUTHZ_API, IDENTITY_API, usePlatform } from './support/platform';
import { REDIRECT, type RelyingParty, relyingParty } from './support/relying-party';
import { signIn, type SignInOptions } from './support/sign-in';
import { eventually } from './support/rules';

const PASSWORD = 'conformance is a feature 4 real';
const ACR_PWD = 'urn:identity-platform:acr:pwd';
const ACR_MFA = 'urn:identity-platform:acr:mfa';
const ACR_PHR = 'urn:identity-platform:acr:phr';
const CONSOLE_ORIGIN = 'https://console.conformance.test';
const SPA_ORIGIN = 'https://spa.conformance.test';

/**
 * Issue 13, causes 4, 5, 8, 10 and 13, driven as a certified relying party (openid-client) and a
 * Spring-style opaque-token resource server would: request objects signed with the client's keys,
 * acr and the claims parameter, introspection by the API a token is for, private_key_jwt with an
 * inline JWKS, and CORS on the identity backend for the registered web origins.
 */
describe('OIDC conformance: request objects, acr, claims, resource-server introspection, CORS', () => {
  const platform = usePlatform('oidc_conformance', { identity: { CORS_ALLOWED_ORIGINS: CONSOLE_ORIGIN } });
  let calls: ReturnType<typeof oauthCalls>;
  let tenantId: string;
  let alice: { id: string };
  let bob: { id: string };
  let bobTotpSecret: string;
  const aliceLogin: SignInOptions = { login: 'alice@conformance.example', password: PASSWORD };

  beforeAll(async () => {
    calls = oauthCalls(platform);
    tenantId = (await platform.createTenant('conformance')).id;
    alice = await platform.createUser(tenantId, 'alice@conformance.example', PASSWORD);
    bob = await platform.createUser(tenantId, 'bob@conformance.example', PASSWORD);
  });

  const keyPair = async (alg = 'ES256') => {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const jwk: JWK = {
      ...(await exportJWK(publicKey)),
      alg,
      use: 'sig',
      kid: `k-${Math.random().toString(36).slice(2)}`,
    };
    return { privateKey, jwk };
  };

  const discovery = async () => (await fetchJson(`${platform.issuer}/.well-known/openid-configuration`)).body;

  /** A tenant-bound, trusted confidential client (no consent page) as openid-client sees it. */
  const webApp = (extra: Record<string, unknown> = {}) =>
    relyingParty(platform, { type: 'confidential', trusted: true, tenantId, ...extra });

  /** Signs in through the hosted pages and returns the callback URL (which may carry an error). */
  async function callbackOf(url: string, credentials: SignInOptions = aliceLogin, browser = new Browser()) {
    const back = await signIn(browser, url, REDIRECT, credentials);
    return { url: new URL(back.location!), steps: back.steps };
  }

  async function codeFlow(
    rp: RelyingParty,
    params: Record<string, string>,
    credentials: SignInOptions = aliceLogin,
    browser = new Browser(),
  ) {
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(rp.config, { redirect_uri: REDIRECT, state, nonce, ...params });
    const back = await callbackOf(url.toString(), credentials, browser);
    const error = back.url.searchParams.get('error');
    if (error) return { error, description: back.url.searchParams.get('error_description'), steps: back.steps };
    const tokens = await oidc.authorizationCodeGrant(rp.config, back.url, {
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: params.scope?.includes('openid'),
    });
    return { tokens, steps: back.steps };
  }

  describe('cause 10: private_key_jwt with an inline jwks', () => {
    it('a service client registered with its public keys inline gets tokens with private_key_jwt', async () => {
      const { privateKey, jwk } = await keyPair();
      const res = await platform.authzAdmin('POST', '/api/v1/clients', {
        name: 'Inline keys',
        type: 'service',
        tokenEndpointAuthMethod: 'private_key_jwt',
        jwks: { keys: [jwk] },
        scopes: ['identity.users.read'],
        tenantId,
      });
      expect({ status: res.status, body: res.body }).toMatchObject({ status: 201, body: { hasSecret: false } });
      const config = await oidc.discovery(
        new URL(platform.issuer),
        res.body.clientId,
        undefined,
        oidc.PrivateKeyJwt({ key: privateKey, kid: jwk.kid }),
        { execute: [oidc.allowInsecureRequests] },
      );
      const tokens = await oidc.clientCredentialsGrant(config, {
        scope: 'identity.users.read',
        resource: IDENTITY_API,
      });
      expect(tokens.access_token).toBeTruthy();
    });

    it('refuses private keys, symmetric keys and oversized key sets with 400', async () => {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      const privateJwk = await exportJWK(privateKey);
      const big = await keyPair('RS256');
      for (const jwks of [
        { keys: [privateJwk] },
        { keys: [{ kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ' }] },
        { keys: Array.from({ length: 30 }, (_, i) => ({ ...big.jwk, kid: `k${i}` })) },
        { nokeys: true },
      ]) {
        const res = await platform.authzAdmin('POST', '/api/v1/clients', {
          name: 'Bad keys',
          type: 'service',
          tokenEndpointAuthMethod: 'private_key_jwt',
          jwks,
        });
        expect({ status: res.status, code: res.body.error?.code }).toEqual({
          status: 400,
          code: expect.stringMatching(/^(invalid_client_metadata|validation_failed)$/),
        });
      }
    });

    it('a jwks_uri the outbound guard refuses is a 400 at registration', async () => {
      const res = await platform.authzAdmin('POST', '/api/v1/clients', {
        name: 'Loopback keys',
        type: 'service',
        tokenEndpointAuthMethod: 'private_key_jwt',
        jwksUri: 'http://127.0.0.1:9/jwks.json',
      });
      expect(res.status).toBe(400);
    });
  });

  describe('cause 4: request objects (OIDC Core §6)', () => {
    it('discovery says request objects are supported, signed only', async () => {
      const body = await discovery();
      expect(body.request_parameter_supported).toBe(true);
      expect(body.request_object_signing_alg_values_supported).toEqual(
        expect.arrayContaining(['RS256', 'ES256', 'PS256']),
      );
      expect(body.request_object_signing_alg_values_supported).not.toContain('none');
      expect(body.request_object_signing_alg_values_supported.some((alg: string) => alg.startsWith('HS'))).toBe(false);
    });

    it("a request object signed with the client's registered key signs the user in with its parameters", async () => {
      const { privateKey, jwk } = await keyPair();
      const rp = await webApp({ jwks: { keys: [jwk] }, requestObjectSigningAlg: 'ES256' });
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = await oidc.buildAuthorizationUrlWithJAR(
        rp.config,
        { redirect_uri: REDIRECT, scope: 'openid email', state, nonce },
        { key: privateKey, kid: jwk.kid },
      );
      expect(url.searchParams.has('request')).toBe(true);
      expect(url.searchParams.has('nonce')).toBe(false);
      const back = await callbackOf(url.toString());
      expect(back.url.searchParams.get('error')).toBeNull();
      const tokens = await oidc.authorizationCodeGrant(rp.config, back.url, {
        expectedState: state,
        expectedNonce: nonce,
      });
      expect(tokens.claims()).toMatchObject({ sub: alice.id, nonce });
    });

    it('a request object signed with another key, or unsigned, is refused back at the redirect URI in the requested response mode', async () => {
      const { jwk } = await keyPair();
      const stranger = await keyPair();
      const rp = await webApp({ jwks: { keys: [jwk] } });
      const claims = {
        iss: rp.clientId,
        aud: platform.issuer,
        client_id: rp.clientId,
        response_type: 'code',
        redirect_uri: REDIRECT,
        scope: 'openid',
        nonce: 'n-1',
      };
      const forged = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: jwk.kid })
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(stranger.privateKey);
      const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(
        JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) + 300 }),
      ).toString('base64url')}.`;
      for (const request of [forged, unsigned]) {
        const query = new URLSearchParams({
          client_id: rp.clientId,
          response_type: 'code',
          redirect_uri: REDIRECT,
          scope: 'openid',
          state: 'st-1',
          request,
        });
        const res = await new Browser().get(`${platform.issuer}/authorize?${query}`);
        expect(res.location).toMatch(new RegExp(`^${REDIRECT}`));
        const error = new URL(res.location!).searchParams;
        expect({ error: error.get('error'), state: error.get('state') }).toEqual({
          error: expect.stringMatching(/^(invalid_request_object|request_not_supported)$/),
          state: 'st-1',
        });
        // The same refusal with response_mode=form_post comes back as an auto-submitted form.
        query.set('response_mode', 'form_post');
        const posted = await new Browser().get(`${platform.issuer}/authorize?${query}`);
        // (oidc-provider keeps the error's 400 status on the page; browsers submit the form all the same.)
        expect(posted.status).toBeLessThan(500);
        expect(posted.headers.get('content-type')).toMatch(/text\/html/);
        expect(posted.body).toContain(`action="${REDIRECT}"`);
        expect(posted.body).toMatch(/name="error" value="(invalid_request_object|request_not_supported)"/);
      }
    });

    it('the clients API refuses a request object alg outside the supported list', async () => {
      const { jwk } = await keyPair();
      for (const alg of ['none', 'HS256']) {
        const res = await platform.authzAdmin('POST', '/api/v1/clients', {
          name: 'Bad alg',
          type: 'confidential',
          redirectUris: [REDIRECT],
          jwks: { keys: [jwk] },
          requestObjectSigningAlg: alg,
        });
        expect(res.status).toBe(400);
      }
    });
  });

  describe('cause 5: acr and the claims parameter', () => {
    it('discovery lists the acr levels (pwd < mfa < phishing-resistant phr) and the claims parameter', async () => {
      const body = await discovery();
      expect(body.acr_values_supported).toEqual([ACR_PWD, ACR_MFA, ACR_PHR]);
      expect(body.claims_parameter_supported).toBe(true);
      expect(body.claims_supported).toEqual(expect.arrayContaining(['acr', 'email']));
    });

    it('acr_values puts the level reached in the ID token', async () => {
      const rp = await webApp();
      const { tokens } = await codeFlow(rp, { scope: 'openid', acr_values: `${ACR_PWD} ${ACR_MFA}` });
      expect(tokens!.claims()!.acr).toBe(ACR_PWD);
    });

    it('an essential claim of the claims parameter is in the ID token, even without its scope', async () => {
      const rp = await webApp();
      const { tokens, steps } = await codeFlow(rp, {
        scope: 'openid',
        claims: JSON.stringify({ id_token: { email: { essential: true } } }),
      });
      expect(steps).toEqual(['login']);
      expect(tokens!.claims()).toMatchObject({ sub: alice.id, email: 'alice@conformance.example' });
    });

    it('essential MFA for a user without a second factor is refused with unmet_authentication_requirements', async () => {
      const rp = await webApp();
      const outcome = await codeFlow(rp, {
        scope: 'openid',
        claims: JSON.stringify({ id_token: { acr: { essential: true, values: [ACR_MFA] } } }),
      });
      expect(outcome.error).toBe('unmet_authentication_requirements');
    });

    it('MFA requested on a password-only session steps up to the second factor of an enrolled user', async () => {
      const rp = await webApp();
      const browser = new Browser();
      const bobLogin: SignInOptions = {
        login: 'bob@conformance.example',
        password: PASSWORD,
        totp: () => speakeasy.totp({ secret: bobTotpSecret, encoding: 'base32' }),
      };
      // Signed in with the password only, then enrols TOTP with that token.
      const first = await codeFlow(
        rp,
        { scope: 'openid identity.users.read', resource: IDENTITY_API, acr_values: ACR_PWD },
        bobLogin,
        browser,
      );
      expect(first.tokens!.claims()!.acr).toBe(ACR_PWD);
      const auth = { authorization: `Bearer ${first.tokens!.access_token}`, 'content-type': 'application/json' };
      const enrolment = await fetchJson(`${platform.identityUrl}/api/v1/me/mfa/totp`, {
        method: 'POST',
        headers: auth,
      });
      expect(enrolment.status).toBe(201);
      bobTotpSecret = enrolment.body.secret;
      const confirmed = await fetchJson(`${platform.identityUrl}/api/v1/me/mfa/totp/confirm`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ code: speakeasy.totp({ secret: bobTotpSecret, encoding: 'base32' }) }),
      });
      expect(confirmed.status).toBe(200);
      // Turning MFA on ends the user's earlier sessions (the authorization server hears of it through
      // Kafka). Wait for that: on a busy machine it landed in the middle of the step-up below and
      // ended that sign-in ("Sign-in expired": its interaction's session was gone).
      const operator = await platform.adminToken('authz.sessions.read', AUTHZ_API);
      await eventually(
        async () =>
          (
            await fetchJson(`${platform.issuer}/api/v1/users/${bob.id}/sessions`, {
              headers: { authorization: `Bearer ${operator}` },
            })
          ).body.length === 0,
        { timeoutMs: 60_000, failure: 'the password-only session outlived the MFA enrolment' },
      );

      // The same browser session (acr pwd) asked for MFA: sign in again, with the second factor.
      const stepUp = await codeFlow(
        rp,
        { scope: 'openid', claims: JSON.stringify({ id_token: { acr: { essential: true, values: [ACR_MFA] } } }) },
        {
          ...bobLogin,
          // The enrolment code cannot be replayed: the next time step's code.
          totp: () =>
            speakeasy.totp({ secret: bobTotpSecret, encoding: 'base32', time: Math.floor(Date.now() / 1000) + 30 }),
        },
        browser,
      );
      expect(stepUp.error).toBeUndefined();
      expect(stepUp.steps).toEqual(['login', 'mfa']);
      expect(stepUp.tokens!.claims()).toMatchObject({ sub: bob.id, acr: ACR_MFA, amr: ['pwd', 'otp'] });
    });
  });

  describe('cause 8: introspection by the resource server a token is for (RFC 7662 §2.1)', () => {
    let introspector: RelyingParty;
    let unrelated: RelyingParty;
    let userApp: RelyingParty;
    const ORDERS = 'https://orders.conformance.test';
    const REPORTS = 'https://reports.conformance.test';

    beforeAll(async () => {
      const service = (name: string) => platform.createClient({ name, type: 'service', tenantId });
      const asRp = ({ clientId, clientSecret }: { clientId: string; clientSecret: string | null }) =>
        ({ clientId, clientSecret }) as RelyingParty;
      introspector = asRp(await service('Orders API introspection'));
      unrelated = asRp(await service('Somebody else'));
      for (const [identifier, tokenFormat] of [
        [ORDERS, 'opaque'],
        [REPORTS, 'jwt'],
      ]) {
        const created = await platform.authzAdmin('POST', '/api/v1/resource-servers', {
          identifier,
          name: identifier,
          scopes: ['api.read'],
          tokenFormat,
        });
        expect(created.status).toBe(201);
      }
      userApp = await webApp({ scopes: ['openid', 'offline_access', 'api.read'] });
    });

    it('the API names a confidential client of its own as its introspection client; unknown clients are refused', async () => {
      const unknown = await platform.authzAdmin('PATCH', `/api/v1/resource-servers/${encodeURIComponent(ORDERS)}`, {
        introspectionClientId: 'no-such-client',
      });
      expect({ status: unknown.status, code: unknown.body.error?.code }).toEqual({
        status: 400,
        code: 'invalid_introspection_client',
      });
      for (const identifier of [ORDERS, REPORTS]) {
        const set = await platform.authzAdmin('PATCH', `/api/v1/resource-servers/${encodeURIComponent(identifier)}`, {
          introspectionClientId: introspector.clientId,
        });
        expect({ status: set.status, id: set.body.introspectionClientId }).toEqual({
          status: 200,
          id: introspector.clientId,
        });
      }
    });

    async function userToken(resource: string) {
      const { tokens } = await codeFlow(userApp, { scope: 'openid offline_access api.read', resource });
      return tokens!;
    }

    it("the API's introspection client introspects a user's opaque token issued to another client; others learn nothing", async () => {
      const tokens = await userToken(ORDERS);
      const res = await calls.introspect(introspector, tokens.access_token);
      expect(res.body).toMatchObject({
        active: true,
        sub: alice.id,
        client_id: userApp.clientId,
        aud: ORDERS,
        scope: expect.stringContaining('api.read'),
        iss: platform.issuer,
        token_type: 'Bearer',
      });
      expect((await calls.introspect(unrelated, tokens.access_token)).body).toEqual({ active: false });
      // The token's own client keeps its right; the refresh token is not the API's to see.
      expect((await calls.introspect(userApp, tokens.access_token)).body.active).toBe(true);
      expect((await calls.introspect(introspector, tokens.refresh_token!)).body).toEqual({ active: false });
    });

    it('JWT access tokens are introspected (validated, grant checked) and revoked by revoking their grant', async () => {
      const tokens = await userToken(REPORTS);
      expect(tokens.access_token.split('.')).toHaveLength(3);
      const res = await calls.introspect(introspector, tokens.access_token);
      expect({ status: res.status, body: res.body }).toMatchObject({
        status: 200,
        body: { active: true, sub: alice.id, client_id: userApp.clientId, aud: REPORTS, iss: platform.issuer },
      });
      expect((await calls.introspect(unrelated, tokens.access_token)).body).toEqual({ active: false });
      // A JWT signed by someone else is simply inactive.
      const [header, payload] = tokens.access_token.split('.');
      expect((await calls.introspect(introspector, `${header}.${payload}.AAAA`)).body).toEqual({ active: false });

      const revoked = await calls.revoke(userApp, tokens.access_token, 'access_token');
      expect(revoked.status).toBe(200);
      // Revoked at once: the grant is gone, so the JWT (still unexpired) introspects as inactive.
      expect((await calls.introspect(introspector, tokens.access_token)).body).toEqual({ active: false });
      const refresh = await calls.token(userApp, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
      expect(refresh.body.error).toBe('invalid_grant');
    });

    it('a client cannot revoke a JWT issued to another client', async () => {
      const tokens = await userToken(REPORTS);
      expect((await calls.revoke(unrelated, tokens.access_token)).status).toBe(200);
      expect((await calls.introspect(introspector, tokens.access_token)).body.active).toBe(true);
    });
  });

  describe('cause 13: CORS on the identity backend', () => {
    const preflight = (origin: string, path = '/api/v1/me') =>
      fetch(`${platform.identityUrl}${path}`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });

    it('answers the preflight of a configured origin, without credentials', async () => {
      const res = await preflight(CONSOLE_ORIGIN);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(CONSOLE_ORIGIN);
      expect(res.headers.get('access-control-allow-methods')).toContain('GET');
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(res.headers.get('vary')?.toLowerCase()).toContain('origin');
    });

    it("allows the web origins of registered SPA clients, and no one else's", async () => {
      await platform.createClient({
        name: 'Conformance SPA',
        type: 'spa',
        tenantId,
        redirectUris: [`${SPA_ORIGIN}/callback`],
        webOrigins: [SPA_ORIGIN],
      });
      // Learnt from the authorization server within seconds (its answers are cached briefly).
      const allowed = await eventually(
        async () => (await preflight(SPA_ORIGIN, '/api/v1/users')).headers.get('access-control-allow-origin'),
        30_000,
        500,
      );
      expect(allowed).toBe(SPA_ORIGIN);
      const stranger = await preflight('https://evil.conformance.test');
      expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
      const nullOrigin = await preflight('null');
      expect(nullOrigin.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('the actual request of an allowed origin carries the CORS headers', async () => {
      const res = await fetch(`${platform.identityUrl}/api/v1/me`, { headers: { origin: CONSOLE_ORIGIN } });
      expect(res.status).toBe(401);
      expect(res.headers.get('access-control-allow-origin')).toBe(CONSOLE_ORIGIN);
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    });
  });
});
