import { mailsTo, waitForMail } from '@platform/testing';
import { totpCode } from '../src/mfa/totp';
import { useIdentityApi, useTenant } from './identity-api.harness';

const PASSWORD = 'a long and unusual passphrase';
const tokenFrom = (text: string, path: string) => new RegExp(`${path}\\?token=([A-Za-z0-9_-]+)`).exec(text)?.[1] ?? '';

describe('email verification and password reset through a real SMTP server', () => {
  const api = useIdentityApi('identity_email');
  const tenant = useTenant(api, 'mailing', { branding: { primaryColor: '#aa3300' } });

  const signIn = (login: string, password: string) =>
    api.call('POST', '/internal/v1/credentials/verify', api.internalToken, {
      tenant: 'mailing',
      login,
      password,
      clientIp: '203.0.113.20',
    });
  const requestReset = (email: string) =>
    api.call('POST', '/api/v1/password-resets', undefined, { tenant: 'mailing', email });

  it('registration sends a branded verification link that verifies once', async () => {
    await api.call('POST', '/api/v1/registrations', undefined, {
      tenant: 'mailing',
      email: 'reader@example.com',
      password: PASSWORD,
    });
    const mail = await waitForMail('reader@example.com', /confirm your email/);
    expect(mail.subject).toBe('MAILING: confirm your email address');
    expect(mail.html).toContain('#aa3300');
    const token = tokenFrom(mail.text, 'https://login.example.test/account/verify-email');
    expect(token).toHaveLength(43);

    expect((await api.call('POST', '/api/v1/email-verifications/confirm', undefined, { token })).status).toBe(204);
    const user = (await api.call('GET', '/api/v1/users?email=reader%40', tenant.admin)).body.items[0];
    expect(user.emailVerified).toBe(true);

    const reused = await api.call('POST', '/api/v1/email-verifications/confirm', undefined, { token });
    expect(reused.status).toBe(400);
    expect(reused.body.error.code).toBe('invalid_email_token');
  });

  it('stores only a hash of the link token', async () => {
    await api.call('POST', '/api/v1/registrations', undefined, {
      tenant: 'mailing',
      email: 'hashcheck@example.com',
      password: PASSWORD,
    });
    const token = tokenFrom((await waitForMail('hashcheck@example.com')).text, 'verify-email');
    const rows = await api.sql('SELECT token_hash FROM email_tokens');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.token_hash.trim())).not.toContain(token);
  });

  it('answers a reset request the same whether or not the address exists, mailing only real accounts', async () => {
    await api.call('POST', '/api/v1/users', tenant.admin, { email: 'forgetful@example.com', password: PASSWORD });
    const known = await requestReset('forgetful@example.com');
    const unknown = await requestReset('nobody-here@example.com');
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    await waitForMail('forgetful@example.com', /reset your password/);
    await new Promise((r) => setTimeout(r, 300));
    expect(await mailsTo('nobody-here@example.com')).toEqual([]);
  });

  it('resets the password with the link once, ending the old password', async () => {
    await api.call('POST', '/api/v1/users', tenant.admin, { email: 'resetter@example.com', password: PASSWORD });
    await requestReset('resetter@example.com');
    const token = tokenFrom((await waitForMail('resetter@example.com', /reset/)).text, 'reset-password');
    const reset = await api.call('POST', '/api/v1/password-resets/confirm', undefined, {
      token,
      newPassword: 'brand new long passphrase',
    });
    expect(reset.status).toBe(204);
    expect((await signIn('resetter@example.com', PASSWORD)).status).toBe(401);
    expect((await signIn('resetter@example.com', 'brand new long passphrase')).status).toBe(200);
    const again = await api.call('POST', '/api/v1/password-resets/confirm', undefined, {
      token,
      newPassword: 'another long passphrase',
    });
    expect(again.body.error.code).toBe('invalid_email_token');
  });

  it('refuses an expired reset link', async () => {
    await api.call('POST', '/api/v1/users', tenant.admin, { email: 'late@example.com', password: PASSWORD });
    await requestReset('late@example.com');
    const token = tokenFrom((await waitForMail('late@example.com', /reset/)).text, 'reset-password');
    await api.sql("UPDATE email_tokens SET expires_at = now() - interval '1 second' WHERE purpose = 'reset_password'");
    const res = await api.call('POST', '/api/v1/password-resets/confirm', undefined, {
      token,
      newPassword: 'brand new long passphrase',
    });
    expect(res.body.error.code).toBe('invalid_email_token');
  });

  it('never lets a reset bypass MFA: the second factor is required, and a wrong one keeps the link usable', async () => {
    const user = (
      await api.call('POST', '/api/v1/users', tenant.admin, { email: 'guarded@example.com', password: PASSWORD })
    ).body;
    const token = await api.userToken(user.id, tenant.id);
    const { secret } = (await api.call('POST', '/api/v1/me/mfa/totp', token)).body;
    await api.call('POST', '/api/v1/me/mfa/totp/confirm', token, { code: totpCode(secret) });

    await requestReset('guarded@example.com');
    const link = tokenFrom((await waitForMail('guarded@example.com', /reset/)).text, 'reset-password');
    const confirm = (mfa?: object) =>
      api.call('POST', '/api/v1/password-resets/confirm', undefined, {
        token: link,
        newPassword: 'brand new long passphrase',
        mfa,
      });

    const withoutMfa = await confirm();
    expect(withoutMfa.status).toBe(401);
    expect(withoutMfa.body.error.code).toBe('mfa_required');
    expect((await confirm({ method: 'totp', code: '000000' })).body.error.code).toBe('invalid_mfa_code');
    expect((await confirm({ method: 'totp', code: totpCode(secret, Date.now() + 30_000) })).status).toBe(204);
    expect((await signIn('guarded@example.com', 'brand new long passphrase')).status).toBe(200);
  });
});
