import { freePort } from '@platform/testing';
import express from 'express';
import { auth } from 'express-openid-connect';
import type { Server } from 'node:http';
import * as oidc from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type Platform, startPlatform } from './support/platform';
import { launchChromium, screenshotter, signInOnHostedPages, startEchoServer } from './support/processes';

const EMAIL = 'noa@node.example';
const PASSWORD = 'node clients all the way';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/**
 * openid-client (code + PKCE through PAR with DPoP, refresh, device flow) and express-openid-connect,
 * each as its documentation configures it; a person signs in on the hosted pages in Chromium.
 */
describe('Node: openid-client and express-openid-connect', () => {
  let platform: Platform;
  let tenantId: string;
  let chromium: Browser;
  let page: Page;
  let callback: Awaited<ReturnType<typeof startEchoServer>>;
  const shot = screenshotter('node-clients');
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    [platform, chromium, callback] = await Promise.all([
      startPlatform('interop_node'),
      launchChromium(),
      startEchoServer(),
    ]);
    ({ tenantId } = await platform.createTenantUser('node', EMAIL, PASSWORD, 'Noa Node'));
  });

  // Each test a browser of its own: no sign-in session carried over.
  let context: BrowserContext;
  beforeEach(async () => {
    context = await chromium.newContext();
    page = await context.newPage();
  });
  afterEach(() => context?.close());

  afterAll(async () => {
    await Promise.all(closers.map((close) => close()));
    await chromium?.close();
    await callback?.stop();
    await platform?.stop();
  });

  const discover = (clientId: string, clientSecret?: string) =>
    oidc.discovery(new URL(platform.issuer), clientId, clientSecret, clientSecret ? undefined : oidc.None(), {
      execute: [oidc.allowInsecureRequests],
    });

  it('openid-client: code + PKCE via PAR with a DPoP-bound token, userinfo, then refresh', async () => {
    const redirectUri = `${callback.url}/callback`;
    const client = await platform.createClient({
      name: 'Node web',
      type: 'confidential',
      trusted: true,
      tenantId,
      redirectUris: [redirectUri],
      scopes: ['openid', 'profile', 'email', 'offline_access'],
    });
    const config = await discover(client.clientId, client.clientSecret);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const dpop = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair());
    const url = await oidc.buildAuthorizationUrlWithPAR(
      config,
      {
        redirect_uri: redirectUri,
        scope: 'openid profile email offline_access',
        state,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      },
      { DPoP: dpop },
    );
    expect(url.searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    await page.goto(url.toString());
    await signInOnHostedPages(page, platform.issuer, EMAIL, PASSWORD);
    const tokens = await oidc.authorizationCodeGrant(
      config,
      new URL(page.url()),
      { pkceCodeVerifier: verifier, expectedState: state },
      undefined,
      { DPoP: dpop },
    );
    expect(tokens.token_type).toBe('dpop');
    expect(tokens.claims()).toMatchObject({ email: EMAIL, iss: platform.issuer });
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub, { DPoP: dpop });
    expect(userinfo).toMatchObject({ email: EMAIL, name: 'Noa Node' });
    expect(tokens.refresh_token).toBeTruthy();
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP: dpop });
    expect(refreshed.access_token).toBeTruthy();
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.token_type).toBe('dpop');
  });

  it('openid-client: device authorization grant, confirmed on the hosted pages', async () => {
    const tv = await platform.createClient({
      name: 'Node TV',
      type: 'native',
      trusted: true,
      tenantId,
      redirectUris: [],
      grantTypes: [DEVICE_GRANT, 'refresh_token'],
      scopes: ['openid', 'profile', 'email'],
    });
    const config = await discover(tv.clientId);
    const start = await oidc.initiateDeviceAuthorization(config, { scope: 'openid email' });
    const polled = oidc.pollDeviceAuthorizationGrant(config, start);
    polled.catch(() => undefined); // awaited below; never an unhandled rejection if a step before fails
    await page.goto(start.verification_uri_complete!);
    await shot(page, 'device-confirm');
    await page.locator('button:has-text("Continue")').first().click();
    await signInOnHostedPages(page, platform.issuer, EMAIL, PASSWORD, async () =>
      (await page.textContent('body'))!.includes('Device connected'),
    );
    await shot(page, 'device-connected');
    const tokens = await polled;
    expect(tokens.claims()).toMatchObject({ email: EMAIL });
  });

  it("express-openid-connect: a signed-in person's email is in req.oidc.user", async () => {
    const port = await freePort();
    const baseURL = `http://127.0.0.1:${port}`;
    const client = await platform.createClient({
      name: 'Express app',
      type: 'confidential',
      trusted: true,
      tenantId,
      redirectUris: [`${baseURL}/callback`],
      scopes: ['openid', 'profile', 'email'],
    });
    const app = express();
    app.use(
      auth({
        issuerBaseURL: platform.issuer,
        baseURL,
        clientID: client.clientId,
        clientSecret: client.clientSecret,
        secret: 'a long, randomly-generated string stored in env',
        // The code flow; the library's default is response_type=id_token (implicit), which the platform does not offer.
        authorizationParams: { response_type: 'code' },
      }),
    );
    app.get('/', (req, res) => {
      res.json({ user: req.oidc.user });
    });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(port, '127.0.0.1', () => resolve(s));
    });
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));

    await page.goto(`${baseURL}/`);
    await shot(page, 'express-hosted-login');
    await signInOnHostedPages(page, platform.issuer, EMAIL, PASSWORD);
    await page.waitForURL((url) => url.toString() === `${baseURL}/`, { timeout: 20_000 });
    await shot(page, 'express-signed-in');
    expect(JSON.parse((await page.textContent('body'))!).user).toMatchObject({ email: EMAIL, name: 'Noa Node' });
  });
});
