import { fetchJson, mailsTo, TcpProxy, testSmtpUrl, waitForMail } from '@platform/testing';
import * as speakeasy from 'speakeasy';
import { openLogin } from './support/hosted-login';
import { IDENTITY_API, type Platform, startPlatform } from './support/platform';
import { type RelyingParty, relyingParty } from './support/relying-party';
import { expectRule } from './support/rules';
import { identityApiToken, consoleApp } from './support/user-tokens';

const PASSWORD = 'correct horse battery staple';
const ACCOUNT_URL = 'https://accounts.example.test';
const BRAND = { primaryColor: '#7a1fa2', logoUrl: 'https://cdn.example.test/mailers-logo.png' };

/**
 * Seed 004's security notifications and the account email flows, through the real SMTP test
 * server: localized in the recipient's language (their `locale`, else the tenant's default),
 * HTML + text, tenant-branded, sent from an outbox so a mail outage delays mail but loses none;
 * the locked-account mail's link resets and unlocks; email change applies only on confirmation;
 * a tenant can require a verified address before sign-in completes.
 */
describe('account emails', () => {
  let platform: Platform;
  let smtp: TcpProxy;
  let tenantId: string;
  let app: RelyingParty;

  beforeAll(async () => {
    // The backend reaches the SMTP server through a proxy the test can cut: a mail outage.
    smtp = await TcpProxy.start(new URL(testSmtpUrl()).host);
    platform = await startPlatform('account_emails', {
      identity: { SMTP_URL: `smtp://${smtp.address}`, ACCOUNT_URL },
    });
    tenantId = (
      await platform.createTenant('mailers', {
        branding: BRAND,
        defaultLocale: 'fr',
        lockoutPolicy: { maxFailedAttempts: 3, lockSeconds: 120, maxLockSeconds: 240 },
      })
    ).id;
    app = await relyingParty(platform, { type: 'spa', trusted: true, tenantId, scopes: ['openid', 'email'] });
  }, 180_000);

  afterAll(async () => {
    await platform?.stop();
    await smtp?.stop();
  });

  const publicPost = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetchJson(`${platform.identityUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const tokenIn = (text: string, page: string) =>
    new RegExp(`${ACCOUNT_URL}/account/${page}\\?token=([\\w-]+)`).exec(text)?.[1];
  const adminUser = async (id: string) =>
    (await platform.identityAdmin('GET', `/api/v1/users/${id}?tenantId=${tenantId}`)).body;
  const userByEmail = async (email: string) =>
    (
      (await platform.identityAdmin('GET', `/api/v1/users?tenantId=${tenantId}&email=${encodeURIComponent(email)}`))
        .body.items as { id: string; email: string }[]
    ).find((u) => u.email === email)!;

  it('seed 004: registration sends the verification mail in the user’s language (HTML + text, branded), then a welcome', async () => {
    const email = 'anna@mailers.example';
    const registered = await publicPost('/api/v1/registrations', {
      tenant: 'mailers',
      email,
      password: PASSWORD,
      profile: { locale: 'de-DE' },
    });
    expect(registered.status).toBe(202);
    const mail = await waitForMail(email, /E-Mail-Adresse/, 20_000);
    expectRule('issue 14: emails in the recipient’s language', mail.html).toContain('lang="de"');
    expectRule('issue 14: tenant-branded emails', mail.html).toContain(BRAND.primaryColor);
    expectRule('issue 14: tenant-branded emails', mail.html).toContain(BRAND.logoUrl);
    expectRule('issue 14: HTML + text parts', mail.text).toContain(`${ACCOUNT_URL}/account/verify-email?token=`);
    const token = tokenIn(mail.text, 'verify-email')!;
    expect((await publicPost('/api/v1/email-verifications/confirm', { token })).status).toBe(204);
    const welcome = await waitForMail(email, /Willkommen/, 20_000);
    expect(welcome.text).toContain('MAILERS');
  });

  it('seed 004: without a locale of their own, the user hears the tenant’s default language', async () => {
    const email = 'louis@mailers.example';
    expect((await publicPost('/api/v1/registrations', { tenant: 'mailers', email, password: PASSWORD })).status).toBe(
      202,
    );
    const mail = await waitForMail(email, /adresse e-mail/i, 20_000);
    expect(mail.html).toContain('lang="fr"');
  });

  it('issue 14: a mail outage loses nothing — the reset mail goes out once the relay is back', async () => {
    const email = 'outage@mailers.example';
    await platform.createUser(tenantId, email, PASSWORD);
    await smtp.cut();
    try {
      expect((await publicPost('/api/v1/password-resets', { tenant: 'mailers', email })).status).toBe(202);
      await new Promise((r) => setTimeout(r, 3_000));
      expect(await mailsTo(email)).toHaveLength(0);
    } finally {
      await smtp.restore();
    }
    const mail = await waitForMail(email, /./, 60_000);
    expectRule(
      'issue 14: sent through the outbox, so an outage loses nothing',
      tokenIn(mail.text, 'reset-password'),
    ).toBeTruthy();
  }, 120_000);

  it('seed 004: a locked account is mailed a one-time link that resets the password and unlocks it; the change is notified', async () => {
    const email = 'locked@mailers.example';
    const user = await platform.createUser(tenantId, email, PASSWORD);
    const login = await openLogin(app);
    for (let i = 0; i < 3; i++) await login.password(email, `wrong guess ${i}`);
    expect((await adminUser(user.id)).lockedUntil).not.toBeNull();
    const mail = await waitForMail(email, /verrouillé/, 20_000);
    const token = tokenIn(mail.text, 'reset-password');
    expectRule('issue 14: the locked-account mail carries a reset link', token).toBeTruthy();
    const newPassword = 'a brand new passphrase 7';
    expect((await publicPost('/api/v1/password-resets/confirm', { token, newPassword })).status).toBe(204);
    expectRule('issue 14: the reset link also unlocks', (await adminUser(user.id)).lockedUntil).toBeNull();
    const signedIn = await (await openLogin(app)).password(email, newPassword);
    expect(signedIn.status).toBe(303);
    await waitForMail(email, /mot de passe a été modifié/, 20_000);
  });

  it('seed 004: enabling and disabling two-factor authentication are notified', async () => {
    const email = 'twofactor@mailers.example';
    await platform.createUser(tenantId, email, PASSWORD);
    const { accessToken } = await identityApiToken(await consoleApp(platform, tenantId), email, PASSWORD, [
      'identity.users.read',
    ]);
    const auth = { authorization: `Bearer ${accessToken}` };
    const secret = (await publicPost('/api/v1/me/mfa/totp', {}, auth)).body.secret as string;
    const code = (steps = 0) =>
      speakeasy.totp({ secret, encoding: 'base32', time: Math.floor(Date.now() / 1000) + steps * 30 });
    expect((await publicPost('/api/v1/me/mfa/totp/confirm', { code: code() }, auth)).status).toBe(200);
    await waitForMail(email, /double authentification a été activée/, 20_000);
    const removed = await fetchJson(`${platform.identityUrl}/api/v1/me/mfa/totp`, {
      method: 'DELETE',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ code: code(1) }),
    });
    expect(removed.status).toBe(204);
    await waitForMail(email, /double authentification a été désactivée/, 20_000);
  });

  it('issue 14: an email change needs the password, mails both addresses, and applies only on confirmation', async () => {
    const oldEmail = 'mover@mailers.example';
    const newEmail = 'mover@new-home.example';
    const user = await platform.createUser(tenantId, oldEmail, PASSWORD);
    const { accessToken } = await identityApiToken(await consoleApp(platform, tenantId), oldEmail, PASSWORD, [
      'identity.users.read',
    ]);
    const auth = { authorization: `Bearer ${accessToken}` };
    const wrong = await publicPost('/api/v1/me/email-change', { newEmail, currentPassword: 'not it at all' }, auth);
    expectRule('issue 14: email change re-authenticates', wrong.status).toBe(401);
    const asked = await publicPost('/api/v1/me/email-change', { newEmail, currentPassword: PASSWORD }, auth);
    expect(asked.status).toBe(202);
    const confirmation = await waitForMail(newEmail, /./, 20_000);
    const alert = await waitForMail(oldEmail, /./, 20_000);
    expectRule('issue 14: the old address is alerted', alert.text).toContain('new-home.example');
    expectRule('issue 14: not applied before confirmation', (await adminUser(user.id)).email).toBe(oldEmail);
    const token = tokenIn(confirmation.text, 'confirm-email-change')!;
    expect((await publicPost('/api/v1/email-changes/confirm', { token })).status).toBe(204);
    const changed = await adminUser(user.id);
    expectRule('issue 14: applied on confirmation', changed.email).toBe(newEmail);
    expect(changed.emailVerified).toBe(true);
    expect((await publicPost('/api/v1/email-changes/confirm', { token })).status).toBe(400);
    const auditor = await platform.adminToken('platform.admin identity.audit.read', IDENTITY_API);
    const audit = await fetchJson(`${platform.identityUrl}/api/v1/users/${user.id}/audit-events?tenantId=${tenantId}`, {
      headers: { authorization: `Bearer ${auditor}` },
    });
    expectRule('issue 14: email change is audited', JSON.stringify(audit.body)).toContain(
      'identity.user.email_change_requested.v1',
    );
    expectRule('issue 14: email change is audited', JSON.stringify(audit.body)).toContain(
      'identity.user.email_changed.v1',
    );
    expect((await userByEmail(newEmail)).id).toBe(user.id);
  });

  describe('a tenant that requires a verified email address', () => {
    let strictApp: RelyingParty;
    const email = 'unverified@strict.example';

    beforeAll(async () => {
      const strict = await platform.createTenant('strict-mailers', { requireVerifiedEmail: true });
      strictApp = await relyingParty(platform, { type: 'spa', trusted: true, tenantId: strict.id, scopes: ['openid'] });
      const created = await platform.identityAdmin('POST', '/api/v1/users', {
        tenantId: strict.id,
        email,
        password: PASSWORD,
        emailVerified: false,
      });
      expect(created.status).toBe(201);
    });

    it('issue 14: an unverified user’s sign-in does not complete; a new link can be asked for by address', async () => {
      const answer = await (await openLogin(strictApp)).password(email, PASSWORD);
      expectRule('issue 14: sign-in does not complete before the email is verified', answer.location).toBeNull();
      expectRule('issue 14: the login says why (only after the right password)', answer.alert).toMatch(
        /confirm your email/i,
      );
      const wrong = await (await openLogin(strictApp)).password(email, 'not the password at all');
      expect(wrong.alert).not.toMatch(/confirm your email/i);
      expect((await publicPost('/api/v1/email-verifications', { tenant: 'strict-mailers', email })).status).toBe(202);
      const mail = await waitForMail(email, /confirm your email/, 20_000);
      const token = tokenIn(mail.text, 'verify-email')!;
      expect((await publicPost('/api/v1/email-verifications/confirm', { token })).status).toBe(204);
      const verified = await (await openLogin(strictApp)).password(email, PASSWORD);
      expectRule('issue 14: a verified user signs in', verified.status).toBe(303);
    });
  });
});
