import { Browser, formValue } from '@platform/testing';
import * as oidc from 'openid-client';
import { downstreamClientAt, registerPartnerSso, UPSTREAM_ON_LOOPBACK } from './support/federation';
import { type Platform, startPlatform } from './support/platform';
import { authorizationRequest, REDIRECT, redeem, relyingParty } from './support/relying-party';
import { pageAction } from './support/sign-in';

const PASSWORD = 'upstream users have passwords too';

/**
 * "Sign in with <IdP>": a second, independent platform is the upstream OpenID provider. The
 * downstream hosted login runs the upstream code flow (PKCE, state, nonce) and the identity
 * backend provisions the user just in time, then recognises the link on the next sign-in.
 */
describe('sign-in through an external OpenID Connect provider', () => {
  let upstream: Platform;
  let platform: Platform;
  let tenantId: string;

  beforeAll(async () => {
    // The upstream is plain http on loopback: allowed only with private-network calls opened.
    [upstream, platform] = await Promise.all([
      startPlatform('idp_upstream'),
      startPlatform('idp_downstream', UPSTREAM_ON_LOOPBACK),
    ]);
    const partner = await upstream.createTenant('partner');
    await upstream.createUser(partner.id, 'eve@partner.example', PASSWORD);
    const upstreamClient = await downstreamClientAt(upstream, partner.id, platform, 'Acme (downstream platform)');
    tenantId = (await platform.createTenant('acme')).id;
    const idp = await registerPartnerSso(platform, tenantId, upstream, upstreamClient, {
      scopes: ['openid', 'email', 'profile'],
      jitProvisioning: true,
    });
    if (idp.status !== 201) throw new Error(`idp: ${idp.status} ${JSON.stringify(idp.body)}`);
  }, 180_000); // two platforms (four services) on a possibly busy 2-core machine

  afterAll(async () => {
    await Promise.all([platform?.stop(), upstream?.stop()]);
  });

  /** Clicks "Sign in with Partner SSO", signs in upstream, and returns to the app's redirect URI. */
  async function signInUpstream(browser: Browser, authorizationUrl: string) {
    const login = await browser.follow(authorizationUrl);
    const link = login.body.match(/<a class="button secondary" href="([^"]+)">Sign in with Partner SSO<\/a>/)?.[1];
    expect(link).toBeTruthy();
    const upstreamLogin = await browser.follow(new URL(link!, login.url).toString());
    expect(upstreamLogin.url.startsWith(upstream.issuer)).toBe(true);
    const submitted = await browser.post(new URL(pageAction(upstreamLogin)!, upstreamLogin.url).toString(), {
      login: 'eve@partner.example',
      password: PASSWORD,
      csrf: formValue(upstreamLogin.body, 'csrf')!,
    });
    return browser.continue(submitted, (url) => url.startsWith(REDIRECT));
  }

  it('provisions the user on first sign-in and finds the same user on the next one', async () => {
    const rp = await relyingParty(platform, { type: 'spa', trusted: true, tenantId });
    const request = await authorizationRequest(rp, 'openid email');
    const back = await signInUpstream(new Browser(), request.url);
    expect(back.location).toMatch(/^https:\/\/app\.example\.test\/callback\?code=/);
    const tokens = await redeem(rp, back.location!, request);
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ tenant_id: tenantId, amr: ['fed'] });
    const userinfo = await oidc.fetchUserInfo(rp.config, tokens.access_token, claims.sub);
    expect(userinfo).toMatchObject({ email: 'eve@partner.example', email_verified: true });

    const local = await platform.identityAdmin('GET', `/api/v1/users/${claims.sub}?tenantId=${tenantId}`);
    expect(local.body).toMatchObject({ email: 'eve@partner.example', tenantId });

    const again = await authorizationRequest(rp, 'openid');
    const second = await signInUpstream(new Browser(), again.url);
    expect((await redeem(rp, second.location!, again)).claims()!.sub).toBe(claims.sub);
  });

  it('refuses a callback whose state does not belong to the browser', async () => {
    const browser = new Browser();
    const rp = await relyingParty(platform, { type: 'spa', trusted: true, tenantId });
    const login = await browser.follow((await authorizationRequest(rp, 'openid')).url);
    const uid = new URL(login.url).pathname.split('/')[2]!;
    const forged = await browser.get(
      `${platform.issuer}/interaction/callback/federated?code=stolen&state=${uid}.not-the-state`,
    );
    const landed = await browser.continue(forged);
    expect(landed.status).toBe(400);
    expect(landed.body).toContain('expired');
    // And a callback for an interaction this browser never started.
    const stranger = await new Browser().follow(
      `${platform.issuer}/interaction/callback/federated?code=x&state=${uid}.y`,
    );
    expect(stranger.status).toBe(400);
  });
});
