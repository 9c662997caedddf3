import { Browser, fetchJson, formValue } from '@platform/testing';
import * as oidc from 'openid-client';
import * as speakeasy from 'speakeasy';
import { IDENTITY_API, usePlatform } from './support/platform';
import { authorizationRequest, REDIRECT, redeem, type RelyingParty, relyingParty } from './support/relying-party';
import { pageAction, signIn } from './support/sign-in';

const PASSWORD = 'two factors are better than one';

/**
 * Seed 002 pattern 1 with a second factor, and revocation that does not wait for Kafka: this
 * authorization server runs without a broker, so only its own re-check with the backend can
 * notice that a user was disabled.
 */
describe('sign-in with TOTP, and access ending with the account', () => {
  const platform = usePlatform('mfa_login', { authz: { KAFKA_BROKERS: '' } });
  let tenantId: string;
  let user: { id: string };
  let rp: RelyingParty;
  let totpSecret: string;
  let recoveryCodes: string[];
  let password = PASSWORD;

  beforeAll(async () => {
    tenantId = (await platform.createTenant('mfa')).id;
    user = await platform.createUser(tenantId, 'alan@mfa.example', PASSWORD);
    rp = await relyingParty(platform, { type: 'spa', trusted: true, tenantId });
  });

  const totp = (offsetSteps = 0) =>
    speakeasy.totp({ secret: totpSecret, encoding: 'base32', time: Math.floor(Date.now() / 1000) + offsetSteps * 30 });

  async function signedIn(
    scope: string,
    extra: Record<string, string> = {},
    totpCode?: () => string,
    mfaMethod?: 'totp' | 'recovery_code',
  ) {
    const request = await authorizationRequest(rp, scope, extra);
    const back = await signIn(new Browser(), request.url, REDIRECT, {
      login: 'alan@mfa.example',
      password,
      totp: totpCode,
      mfaMethod,
    });
    return { steps: back.steps, tokens: await redeem(rp, back.location!, request) };
  }

  it('enrolls TOTP with a token from the hosted login, then asks for the code at the next sign-in', async () => {
    const first = await signedIn('openid identity.users.read', { resource: IDENTITY_API });
    expect(first.steps).toEqual(['login']);
    const auth = { authorization: `Bearer ${first.tokens.access_token}`, 'content-type': 'application/json' };
    const enrollment = await fetchJson(`${platform.identityUrl}/api/v1/me/mfa/totp`, { method: 'POST', headers: auth });
    expect(enrollment.status).toBe(201);
    totpSecret = enrollment.body.secret;
    const confirmed = await fetchJson(`${platform.identityUrl}/api/v1/me/mfa/totp/confirm`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ code: totp() }),
    });
    expect(confirmed.status).toBe(200);
    recoveryCodes = confirmed.body.recoveryCodes;
    const recoveryCode = recoveryCodes[0];

    // The next sign-in stops at the second factor; a wrong code is refused on the page.
    const browser = new Browser();
    const request = await authorizationRequest(rp, 'openid');
    const login = await browser.follow(request.url);
    const mfaPage = await browser.post(new URL(pageAction(login)!, login.url).toString(), {
      login: 'alan@mfa.example',
      password: PASSWORD,
      csrf: formValue(login.body, 'csrf')!,
    });
    expect(pageAction(mfaPage)).toMatch(/\/mfa$/);
    const mfaAction = new URL(pageAction(mfaPage)!, login.url).toString();
    const csrf = formValue(mfaPage.body, 'csrf')!;
    const wrong = await browser.post(mfaAction, {
      csrf,
      method: 'totp',
      code: totp(1) === '000000' ? '111111' : '000000',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('not valid');

    // A recovery code works once.
    const withRecovery = await browser.post(mfaAction, { csrf, method: 'recovery_code', code: recoveryCode! });
    expect(withRecovery.status).toBe(303);
    const back = await browser.continue(withRecovery, (url) => url.startsWith(REDIRECT));
    const tokens = await redeem(rp, back.location!, request);
    expect(tokens.claims()!.amr).toEqual(expect.arrayContaining(['pwd']));

    // The authenticator code (next time step: the enrolment code cannot be replayed) signs in too.
    const second = await signedIn('openid', {}, () => totp(1));
    expect(second.steps).toEqual(['login', 'mfa']);
    expect(second.tokens.claims()!.amr).toEqual(['pwd', 'otp']);
  });

  it('asks a TOTP user whose password an administrator reset for the code first, then for a new password', async () => {
    const reset = await platform.identityAdmin('POST', `/api/v1/users/${user.id}/password?tenantId=${tenantId}`, {
      password: 'temporary from the helpdesk 1',
      temporary: true,
    });
    expect(reset.status).toBe(204);
    const request = await authorizationRequest(rp, 'openid');
    const back = await signIn(new Browser(), request.url, REDIRECT, {
      login: 'alan@mfa.example',
      password: 'temporary from the helpdesk 1',
      totp: () => recoveryCodes[2]!,
      mfaMethod: 'recovery_code',
      newPassword: 'a passphrase never used before 3',
    });
    expect(back.steps).toEqual(['login', 'mfa', 'password']);
    password = 'a passphrase never used before 3';
    expect((await redeem(rp, back.location!, request)).claims()!.sub).toBe(user.id);
  });

  it('refuses the refresh token and userinfo as soon as the user is disabled, without Kafka', async () => {
    const { tokens } = await signedIn(
      'openid offline_access',
      { prompt: 'consent' },
      () => recoveryCodes[1]!,
      'recovery_code',
    );
    expect(tokens.refresh_token).toBeTruthy();
    const refreshed = await oidc.refreshTokenGrant(rp.config, tokens.refresh_token!);

    const disabled = await platform.identityAdmin('POST', `/api/v1/users/${user.id}/disable?tenantId=${tenantId}`, {});
    expect(disabled.status).toBe(200);
    await expect(oidc.refreshTokenGrant(rp.config, refreshed.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    const userinfo = await fetch(`${platform.issuer}/userinfo`, {
      headers: { authorization: `Bearer ${refreshed.access_token}` },
    });
    expect(userinfo.status).toBe(401);
  });

  it('makes a user with a temporary password choose a new one before the sign-in completes', async () => {
    const temporary = 'temporary password 123';
    const chosen = 'a brand new passphrase 9';
    await platform.createUser(tenantId, 'grace@mfa.example', temporary, { temporaryPassword: true });
    const browser = new Browser();
    const request = await authorizationRequest(rp, 'openid');
    const login = await browser.follow(request.url);
    const changePage = await browser.post(new URL(pageAction(login)!, login.url).toString(), {
      login: 'grace@mfa.example',
      password: temporary,
      csrf: formValue(login.body, 'csrf')!,
    });
    expect(pageAction(changePage)).toMatch(/\/password$/);
    const action = new URL(pageAction(changePage)!, login.url).toString();
    const csrf = formValue(changePage.body, 'csrf')!;
    const changePassword = (currentPassword: string, newPassword: string, confirmPassword = newPassword) =>
      browser.post(action, { csrf, currentPassword, newPassword, confirmPassword });
    const mismatch = await changePassword(temporary, chosen, 'a different one');
    expect(mismatch.status).toBe(400);
    const weak = await changePassword(temporary, 'short');
    expect(weak.status).toBe(400);
    const wrongCurrent = await changePassword('not it at all', chosen);
    expect(wrongCurrent.status).toBe(401);
    const changed = await changePassword(temporary, chosen);
    const back = await browser.continue(changed, (url) => url.startsWith(REDIRECT));
    expect((await redeem(rp, back.location!, request)).claims()!.sub).toBeTruthy();

    // The next sign-in takes the new password, and no further change is asked.
    const next = await authorizationRequest(rp, 'openid');
    const again = await signIn(new Browser(), next.url, REDIRECT, {
      login: 'grace@mfa.example',
      password: chosen,
    });
    expect(again.steps).toEqual(['login']);
  });
});
