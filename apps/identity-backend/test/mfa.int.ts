import { totpCode } from '../src/mfa/totp';
import { useIdentityApi, useTenant } from './identity-api.harness';

const PASSWORD = 'a long and unusual passphrase';

describe('TOTP multi-factor authentication', () => {
  const api = useIdentityApi('identity_mfa');
  const tenant = useTenant(api, 'mfa', {
    lockoutPolicy: { maxFailedAttempts: 5, lockSeconds: 60, maxLockSeconds: 60 },
  });

  /** A user and a token of their own (as the authorization server would issue after sign-in). */
  async function signedInUser(email: string) {
    const user = (await api.call('POST', '/api/v1/users', tenant.admin, { email, password: PASSWORD })).body;
    const token = await api.tenantToken(tenant.id, {
      sub: user.id,
      client_id: 'account-console',
      scope: 'openid profile',
    });
    return { user, token };
  }

  async function enroll(token: string) {
    const started = await api.call('POST', '/api/v1/me/mfa/totp', token);
    expect(started.status).toBe(201);
    const confirmed = await api.call('POST', '/api/v1/me/mfa/totp/confirm', token, {
      code: totpCode(started.body.secret),
    });
    expect(confirmed.status).toBe(200);
    return { secret: started.body.secret as string, recoveryCodes: confirmed.body.recoveryCodes as string[], started };
  }

  const verifyMfa = (userId: string, method: string, code: string) =>
    api.call('POST', '/internal/v1/mfa/verify', api.internalToken, { tenantId: tenant.id, userId, method, code });

  it('enrolls with an otpauth URI and QR code, then issues 10 distinct single-use recovery codes', async () => {
    const { token } = await signedInUser('enroll@example.com');
    const { started, recoveryCodes } = await enroll(token);
    expect(started.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/MFA:enroll%40example\.com\?secret=/);
    expect(started.body.qrCode).toMatch(/^data:image\/png;base64,/);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
  });

  it('makes the password step report the second factor', async () => {
    const { user, token } = await signedInUser('needs-mfa@example.com');
    await enroll(token);
    const res = await api.call('POST', '/internal/v1/credentials/verify', api.internalToken, {
      tenant: 'mfa',
      login: 'needs-mfa@example.com',
      password: PASSWORD,
      clientIp: '203.0.113.5',
    });
    expect(res.body).toMatchObject({ userId: user.id, mfaRequired: true, mfaMethods: ['totp', 'recovery_code'] });
  });

  it('accepts a TOTP code once: replaying it in the same window is rejected', async () => {
    const { user, token } = await signedInUser('replay@example.com');
    const { secret } = await enroll(token);
    // The confirmation burnt the current step; the next step's code is still inside the accepted window.
    const code = totpCode(secret, Date.now() + 30_000);
    const first = await verifyMfa(user.id, 'totp', code);
    expect(first.status).toBe(200);
    expect(first.body.amr).toEqual(['pwd', 'otp']);
    const replay = await verifyMfa(user.id, 'totp', code);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('invalid_mfa_code');
    // And the code the enrollment was confirmed with cannot be used for a sign-in either.
    expect((await verifyMfa(user.id, 'totp', totpCode(secret))).status).toBe(401);
  });

  it('accepts each recovery code once', async () => {
    const { user, token } = await signedInUser('recovery@example.com');
    const { recoveryCodes } = await enroll(token);
    expect((await verifyMfa(user.id, 'recovery_code', recoveryCodes[0]!.toUpperCase())).status).toBe(200);
    expect((await verifyMfa(user.id, 'recovery_code', recoveryCodes[0]!)).status).toBe(401);
    expect((await verifyMfa(user.id, 'recovery_code', recoveryCodes[1]!)).status).toBe(200);
  });

  it('stops TOTP brute force with the account lockout', async () => {
    const { user, token } = await signedInUser('bruteforce@example.com');
    const { secret } = await enroll(token);
    const wrong = (n: number) => String((Number(totpCode(secret)) + 500_000 + n) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) expect((await verifyMfa(user.id, 'totp', wrong(i))).status).toBe(401);
    const locked = await api.call('GET', `/api/v1/users/${user.id}`, tenant.admin);
    expect(locked.body.lockedUntil).not.toBeNull();
    // Even a correct, unused code is refused while locked.
    expect((await verifyMfa(user.id, 'totp', totpCode(secret, Date.now() + 30_000))).status).toBe(401);
  });

  it('seals the TOTP secret at rest', async () => {
    const { user, token } = await signedInUser('sealed@example.com');
    const { secret } = await enroll(token);
    const rows = await api.sql('SELECT secret_sealed FROM mfa_factors WHERE user_id = $1', [user.id]);
    expect(rows[0].secret_sealed).toMatch(/^v1\./);
    expect(rows[0].secret_sealed).not.toContain(secret);
  });

  it('requires a current code to remove the factor, and lets an administrator reset it', async () => {
    const { user, token } = await signedInUser('remove@example.com');
    await enroll(token);
    expect((await api.call('DELETE', '/api/v1/me/mfa/totp', token, { code: '000000' })).status).toBe(401);
    expect((await api.call('POST', `/api/v1/users/${user.id}/mfa/reset`, tenant.admin)).status).toBe(204);
    const res = await api.call('POST', '/internal/v1/credentials/verify', api.internalToken, {
      tenant: 'mfa',
      login: 'remove@example.com',
      password: PASSWORD,
      clientIp: '203.0.113.6',
    });
    expect(res.body.mfaMethods).toEqual([]);
  });

  it('refuses a second enrollment while one is active', async () => {
    const { token } = await signedInUser('twice@example.com');
    await enroll(token);
    const again = await api.call('POST', '/api/v1/me/mfa/totp', token);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('mfa_already_enabled');
  });

  it('keeps /me for end users: a client token without a user is refused', async () => {
    const clientToken = await api.tenantToken(tenant.id, {
      sub: 'svc',
      client_id: 'svc',
      scope: 'identity.users.read',
    });
    expect((await api.call('GET', '/api/v1/me', clientToken)).status).toBe(403);
  });
});
