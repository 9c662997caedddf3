import { Browser, fetchJson, formValue } from '@platform/testing';
import { createRemoteJWKSet, decodeJwt, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { createServer, type Server } from 'node:http';
import * as oidc from 'openid-client';
import { usePlatform } from './support/platform';
import { authorizationRequest, REDIRECT, redeem, relyingParty } from './support/relying-party';
import { pageAction, signIn } from './support/sign-in';

const PASSWORD = 'devices and sessions and proofs';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** Seed 002 pattern 2 and friends: device flow, logout with back-channel notices, PAR, DPoP, CORS. */
describe('device flow, logout, PAR, DPoP and CORS', () => {
  // The back-channel logout receiver is this test, on loopback.
  const platform = usePlatform('more_grants', { authz: { OUTBOUND_ALLOW_PRIVATE_NETWORK: 'true' } });
  let tenantId: string;
  let receiver: Server;
  let receiverUrl: string;
  const logoutTokens: string[] = [];

  beforeAll(async () => {
    tenantId = (await platform.createTenant('grants')).id;
    await platform.createUser(tenantId, 'linus@grants.example', PASSWORD);
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        logoutTokens.push(new URLSearchParams(body).get('logout_token') ?? '');
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/backchannel-logout`;
  });

  afterAll(async () => {
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const credentials = { login: 'linus@grants.example', password: PASSWORD };

  it('lets a TV app sign a user in with a user code (RFC 8628)', async () => {
    const tv = await relyingParty(platform, {
      type: 'native',
      trusted: true,
      tenantId,
      redirectUris: [],
      grantTypes: [DEVICE_GRANT, 'refresh_token'],
    });
    const start = await oidc.initiateDeviceAuthorization(tv.config, { scope: 'openid profile' });
    expect(start.user_code).toBeTruthy();
    const poll = () =>
      fetchJson(`${platform.issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: DEVICE_GRANT, device_code: start.device_code, client_id: tv.clientId }),
      });
    expect((await poll()).body.error).toBe('authorization_pending');

    // On a phone: the code page, the confirmation, then the usual sign-in.
    const phone = new Browser();
    const entry = await phone.get(start.verification_uri);
    expect(entry.status).toBe(200);
    expect(entry.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    const wrongCode = await phone.post(start.verification_uri, {
      xsrf: formValue(entry.body, 'xsrf')!,
      user_code: 'BCDF-GHJK',
    });
    expect(wrongCode.body).toContain('not valid');
    const confirm = await phone.post(start.verification_uri, {
      xsrf: formValue(wrongCode.body, 'xsrf')!,
      user_code: start.user_code,
    });
    expect(confirm.body).toContain(start.user_code);
    const toLogin = await phone.post(
      new URL(confirm.body.match(/action="([^"]+)"/)![1]!, start.verification_uri).toString(),
      {
        xsrf: formValue(confirm.body, 'xsrf')!,
        user_code: start.user_code,
        confirm: 'yes',
      },
    );
    const login = await phone.continue(toLogin);
    const signedIn = await phone.post(new URL(pageAction(login)!, login.url).toString(), {
      ...credentials,
      csrf: formValue(login.body, 'csrf')!,
    });
    const success = await phone.continue(signedIn);
    expect(success.status).toBe(200);
    expect(success.body).toContain('Device connected');
    // The device, polling after its interval, gets tokens for the user.
    await new Promise((r) => setTimeout(r, (start.interval ?? 5) * 1000));
    const tokens = await poll();
    expect(tokens.status).toBe(200);
    expect(tokens.body.id_token).toBeTruthy();
  });

  it('signs out through /logout, notifies the app on its back channel, and ends the session', async () => {
    const app = await relyingParty(platform, {
      type: 'confidential',
      trusted: true,
      tenantId,
      postLogoutRedirectUris: ['https://app.example.test/signed-out'],
      backchannelLogoutUri: receiverUrl,
    });
    const browser = new Browser();
    const request = await authorizationRequest(app, 'openid');
    const back = await signIn(browser, request.url, REDIRECT, credentials);
    const tokens = await redeem(app, back.location!, request);
    const sid = tokens.claims()!.sid;
    expect(sid).toBeTruthy();

    const logoutUrl = oidc.buildEndSessionUrl(app.config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: 'https://app.example.test/signed-out',
      state: 'bye',
    });
    const confirmation = await browser.get(logoutUrl.toString());
    expect(confirmation.status).toBe(200);
    expect(confirmation.headers.get('x-frame-options')).toBe('DENY');
    const action = new URL(confirmation.body.match(/action="([^"]+)"/)![1]!, logoutUrl).toString();
    // The provider's own CSRF field guards the confirmation.
    expect((await browser.post(action, { logout: 'yes' })).status).toBe(400);
    const done = await browser.post(action, { xsrf: formValue(confirmation.body, 'xsrf')!, logout: 'yes' });
    expect(done.location).toBe('https://app.example.test/signed-out?state=bye');

    // OpenID Back-Channel Logout 1.0: a signed logout token naming the session.
    for (let i = 0; i < 50 && logoutTokens.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(logoutTokens).toHaveLength(1);
    const { payload } = await jwtVerify(logoutTokens.at(-1)!, createRemoteJWKSet(new URL(`${platform.issuer}/jwks`)), {
      issuer: platform.issuer,
      audience: app.clientId,
    });
    expect(payload).toMatchObject({ sid, events: { 'http://schemas.openid.net/event/backchannel-logout': {} } });

    // The browser session is gone: a silent request now needs a login.
    const silent = await authorizationRequest(app, 'openid', { prompt: 'none' });
    const answer = await browser.get(silent.url);
    expect(new URL(answer.location!).searchParams.get('error')).toBe('login_required');
  });

  it('accepts pushed authorization requests (RFC 9126) and signs in through the request_uri', async () => {
    const app = await relyingParty(platform, { type: 'confidential', trusted: true, tenantId });
    const verifier = oidc.randomPKCECodeVerifier();
    const url = await oidc.buildAuthorizationUrlWithPAR(app.config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 'par-state',
    });
    expect(url.searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    expect(url.searchParams.get('redirect_uri')).toBeNull();
    const back = await signIn(new Browser(), url.toString(), REDIRECT, credentials);
    const tokens = await oidc.authorizationCodeGrant(app.config, new URL(back.location!), {
      pkceCodeVerifier: verifier,
      expectedState: 'par-state',
    });
    expect(tokens.id_token).toBeTruthy();
    // A request_uri is single-use.
    const replay = await new Browser().get(url.toString());
    expect(replay.location ?? '').not.toContain('code=');
  });

  it('binds access tokens to a DPoP key for clients registered for it (RFC 9449)', async () => {
    const app = await relyingParty(platform, { type: 'spa', trusted: true, tenantId, dpopBoundAccessTokens: true });
    const request = await authorizationRequest(app, 'openid');
    const back = await signIn(new Browser(), request.url, REDIRECT, credentials);

    // Without a proof the token endpoint refuses this client.
    const code = new URL(back.location!).searchParams.get('code')!;
    const withoutProof = await fetchJson(`${platform.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        code_verifier: request.verifier,
        client_id: app.clientId,
      }),
    });
    expect(withoutProof.status).toBe(400);

    const request2 = await authorizationRequest(app, 'openid');
    const back2 = await signIn(new Browser(), request2.url, REDIRECT, credentials);
    const dpop = oidc.getDPoPHandle(app.config, await oidc.randomDPoPKeyPair('ES256'));
    const tokens = await oidc.authorizationCodeGrant(
      app.config,
      new URL(back2.location!),
      {
        pkceCodeVerifier: request2.verifier,
        expectedState: request2.state,
      },
      undefined,
      { DPoP: dpop },
    );
    expect(tokens.token_type.toLowerCase()).toBe('dpop');
    await expect(
      oidc.fetchUserInfo(app.config, tokens.access_token, tokens.claims()!.sub, { DPoP: dpop }),
    ).resolves.toMatchObject({
      sub: tokens.claims()!.sub,
    });
    // Stolen without the key, the token is useless as a bearer token.
    const asBearer = await fetch(`${platform.issuer}/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(asBearer.status).toBe(401);
  });

  it("allows CORS on /token and /userinfo only from a client's registered web origins", async () => {
    const app = await relyingParty(platform, {
      type: 'spa',
      trusted: true,
      tenantId,
      webOrigins: ['https://app.example.test'],
    });
    const preflight = (path: string, origin: string) =>
      fetch(`${platform.issuer}${path}`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const tokenCall = (origin: string) =>
      fetch(`${platform.issuer}/token`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'nope', client_id: app.clientId }),
      });
    expect((await preflight('/token', 'https://app.example.test')).status).toBeLessThan(300);
    expect((await tokenCall('https://app.example.test')).headers.get('access-control-allow-origin')).toBe(
      'https://app.example.test',
    );
    expect((await tokenCall('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('has a ready-made public demo client: code + PKCE to a loopback redirect on any port, default tenant', async () => {
    const tenants = await platform.identityAdmin('GET', '/api/v1/tenants');
    const defaultTenant = (tenants.body.items ?? tenants.body).find((t: { slug: string }) => t.slug === 'default');
    const newcomer = await platform.createUser(defaultTenant.id, 'newcomer@example.com', PASSWORD);
    const config = await oidc.discovery(new URL(platform.issuer), 'demo', undefined, oidc.None(), {
      execute: [oidc.allowInsecureRequests],
    });
    const redirectUri = 'http://127.0.0.1:53682/callback';
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const back = await signIn(new Browser(), url.toString(), redirectUri, {
      login: 'newcomer@example.com',
      password: PASSWORD,
    });
    // Any local app can claim a loopback redirect: a native client's user always confirms (RFC 8252 §8.6).
    expect(back.steps).toEqual(['login', 'consent']);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(back.location!), { pkceCodeVerifier: verifier });
    // Signed in to the default tenant; the demo client is bound to no tenant, so its ID token names none
    // (issue 13, cause 6) while its access tokens do, for resource servers.
    expect(tokens.claims()).toMatchObject({ sub: newcomer.id });
    expect(tokens.claims()).not.toHaveProperty('tenant_id');
  });

  it('authenticates a service client with private_key_jwt (RFC 7523), its keys fetched from its jwks_uri', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'partner-1', alg: 'ES256', use: 'sig' }] };
    const keyServer = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)),
    );
    await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
    try {
      const { clientId, clientSecret } = await platform.createClient({
        name: 'Partner with keys',
        type: 'service',
        scopes: ['identity.users.read'],
        tokenEndpointAuthMethod: 'private_key_jwt',
        jwksUri: `http://127.0.0.1:${(keyServer.address() as { port: number }).port}/jwks.json`,
      });
      expect(clientSecret).toBeNull();
      const config = await oidc.discovery(
        new URL(platform.issuer),
        clientId,
        undefined,
        oidc.PrivateKeyJwt({ key: privateKey, kid: 'partner-1' }),
        { execute: [oidc.allowInsecureRequests] },
      );
      const tokens = await oidc.clientCredentialsGrant(config, {
        scope: 'identity.users.read',
        resource: 'urn:identity-platform:identity-api',
      });
      expect(decodeJwt(tokens.access_token)).toMatchObject({ client_id: clientId, scope: 'identity.users.read' });

      // An assertion signed with another key is refused.
      const impostor = await oidc.discovery(
        new URL(platform.issuer),
        clientId,
        undefined,
        oidc.PrivateKeyJwt({ key: (await generateKeyPair('ES256')).privateKey, kid: 'partner-1' }),
        { execute: [oidc.allowInsecureRequests] },
      );
      await expect(
        oidc.clientCredentialsGrant(impostor, {
          scope: 'identity.users.read',
          resource: 'urn:identity-platform:identity-api',
        }),
      ).rejects.toMatchObject({ error: 'invalid_client' });
    } finally {
      await new Promise((resolve) => keyServer.close(resolve));
    }
  });

  it('authenticates a client registered for client_secret_post', async () => {
    const { clientId, clientSecret } = await platform.createClient({
      name: 'Form-posting partner',
      type: 'service',
      scopes: ['identity.users.read'],
      tokenEndpointAuthMethod: 'client_secret_post',
    });
    const grant = (auth: oidc.ClientAuth) =>
      oidc
        .discovery(new URL(platform.issuer), clientId, undefined, auth, { execute: [oidc.allowInsecureRequests] })
        .then((config) =>
          oidc.clientCredentialsGrant(config, {
            scope: 'identity.users.read',
            resource: 'urn:identity-platform:identity-api',
          }),
        );
    await expect(grant(oidc.ClientSecretPost(clientSecret!))).resolves.toHaveProperty('access_token');
    // The provider treats basic and post as one method (both carry the same secret); a wrong secret fails either way.
    await expect(grant(oidc.ClientSecretPost('not-the-secret'))).rejects.toMatchObject({ error: 'invalid_client' });
  });
});
