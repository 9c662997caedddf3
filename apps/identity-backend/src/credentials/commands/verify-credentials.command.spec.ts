import { IdentityErrorCode } from '../../common/identity-error';
import type { Tenant } from '../../tenants/tenant.entity';
import { aUser, errorCode, TENANT_ID } from '../../users/commands/commands.spec-helper';
import type { User } from '../../users/user.entity';
import type { LockoutService } from '../lockout.service';
import type { PasswordHasher } from '../password-hasher';
import type { SignInRepository, SignInSubject } from '../sign-in.repository';
import type { SignInThrottle } from '../sign-in-throttle';
import { VerifyCredentialsCommand, VerifyCredentialsHandler } from './verify-credentials.command';

const PASSWORD = 'the right passphrase';
const IP = '203.0.113.9';

/**
 * A tenant "acme" with Ada (password PASSWORD) behind the sign-in repository, a hasher that
 * knows which password a hash is of, and the throttle and lockout as counters in memory.
 */
function signInWorld(
  options: { settings?: Record<string, unknown>; user?: Partial<User>; subject?: Partial<SignInSubject> } = {},
) {
  const tenant = { id: TENANT_ID, slug: 'acme', status: 'active', settings: options.settings ?? {} } as Tenant;
  const ada = aUser({
    id: 'u-ada',
    passwordHash: `hash(${PASSWORD})`,
    emailVerified: true,
    mustChangePassword: false,
    ...options.user,
  });
  const found = (login: string) => (login === 'ada@example.com' || login === 'ADA@example.com' ? ada : null);
  const rehashed: string[] = [];
  const signIns = {
    findSubject: async (tenantRef: string, login: string): Promise<SignInSubject> => {
      const known = tenantRef === TENANT_ID || tenantRef === 'acme';
      return {
        tenant: known ? tenant : null,
        user: known ? found(login) : null,
        hasConfirmedTotp: false,
        hasPasskey: false,
        isAdmin: false,
        ...options.subject,
      };
    },
    updatePasswordHash: async (_id: string, hash: string) => void rehashed.push(hash),
  };
  const checked: string[] = [];
  const hasher = {
    verify: async (password: string, hash: string) => {
      checked.push(hash);
      return hash === `hash(${password})`;
    },
    hash: async (password: string) => `new-hash(${password})`,
    needsRehash: jest.fn(() => false),
  };
  let retryAfter = 0;
  let revealLock = true;
  const counted: string[] = [];
  const throttle = {
    deviceTrusted: async (deviceId: string) => deviceId === 'device-ok',
    ipRetryAfter: async (ip: string, tenantKey: string) => {
      counted.push(`ip-check ${tenantKey}|${ip}`);
      return retryAfter;
    },
    recordIpFailure: async (ip: string, tenantKey: string) => void counted.push(`ip ${tenantKey}|${ip}`),
    recordDeviceFailure: async (deviceId: string) => void counted.push(`device ${deviceId}`),
    mayRevealLock: async () => revealLock,
    recordFailureDuringLock: async (user: User) => void counted.push(`during-lock ${user.id}`),
  };
  const lockout = {
    isLocked: (user: Pick<User, 'lockedUntil'>) => user.lockedUntil !== null,
    recordFailure: async (user: User, _p: unknown, factor: string) => void counted.push(`lockout ${user.id} ${factor}`),
    recordSuccess: jest.fn(async () => undefined),
  };
  const handler = new VerifyCredentialsHandler(
    signIns as unknown as SignInRepository,
    hasher as unknown as PasswordHasher,
    throttle as unknown as SignInThrottle,
    lockout as unknown as LockoutService,
  );
  return {
    handler,
    ada,
    checked,
    counted,
    rehashed,
    hasher,
    lockout,
    throttle: (seconds: number) => (retryAfter = seconds),
    stopRevealingLock: () => (revealLock = false),
  };
}

const signIn = (
  login = 'ada@example.com',
  password = PASSWORD,
  tenant = 'acme',
  device?: { deviceId: string; userId: string },
) => new VerifyCredentialsCommand(tenant, login, password, IP, device);

describe('VerifyCredentialsHandler', () => {
  it('accepts the right password, ends the failure streak and asks for no second factor by default', async () => {
    const { handler, lockout, counted } = signInWorld();
    await expect(handler.execute(signIn())).resolves.toEqual({
      userId: 'u-ada',
      tenantId: TENANT_ID,
      status: 'active',
      mfaRequired: false,
      mfaMethods: [],
      amr: ['pwd'],
      mustChangePassword: false,
    });
    expect(lockout.recordSuccess).toHaveBeenCalledWith('u-ada', null);
    expect(counted).toEqual([`ip-check ${TENANT_ID}|${IP}`]);
  });

  it('fails an unknown login, a wrong password, an inactive account and an unknown tenant alike, after a hash check each', async () => {
    const attempts = [
      { world: signInWorld(), command: signIn('nobody@example.com') },
      { world: signInWorld(), command: signIn('ada@example.com', 'wrong') },
      { world: signInWorld({ user: { status: 'disabled' } }), command: signIn() },
      { world: signInWorld(), command: signIn('ada@example.com', PASSWORD, 'Other-Tenant') },
    ];
    for (const { world, command } of attempts) {
      expect(await errorCode(world.handler.execute(command))).toBe(IdentityErrorCode.InvalidCredentials);
      expect(world.checked).toHaveLength(1);
      expect(world.lockout.recordSuccess).not.toHaveBeenCalled();
    }
    // Counted per (tenant, IP); an unknown tenant under the name it was asked by.
    expect(attempts[3]!.world.counted).toContain(`ip ref:other-tenant|${IP}`);
    expect(attempts[1]!.world.counted).toEqual([
      `ip-check ${TENANT_ID}|${IP}`,
      `ip ${TENANT_ID}|${IP}`,
      'lockout u-ada password',
    ]);
  });

  it('answers too_many_attempts with Retry-After to a throttled address, before any hash check', async () => {
    const world = signInWorld();
    world.throttle(42);
    await expect(world.handler.execute(signIn())).rejects.toMatchObject({
      code: IdentityErrorCode.TooManyAttempts,
      details: { retryAfter: 42 },
    });
    expect(world.checked).toEqual([]);
  });

  it("lets the account's own known browser through the throttle and a lock that others caused", async () => {
    const world = signInWorld({ user: { lockedUntil: new Date(Date.now() + 60_000) } });
    world.throttle(42);
    await expect(
      world.handler.execute(signIn('ada@example.com', PASSWORD, 'acme', { deviceId: 'device-ok', userId: 'u-ada' })),
    ).resolves.toMatchObject({ userId: 'u-ada' });
    // A cookie of someone else, or one no longer honoured, is no trust.
    for (const device of [
      { deviceId: 'device-ok', userId: 'u-bob' },
      { deviceId: 'device-spent', userId: 'u-ada' },
    ]) {
      expect(await errorCode(world.handler.execute(signIn('ada@example.com', PASSWORD, 'acme', device)))).toBe(
        IdentityErrorCode.TooManyAttempts,
      );
    }
  });

  it('tells account_locked only to the right password, and only until as many wrong guesses as the policy allows', async () => {
    const world = signInWorld({ user: { lockedUntil: new Date(Date.now() + 60_000) } });
    expect(await errorCode(world.handler.execute(signIn()))).toBe(IdentityErrorCode.AccountLocked);
    expect(await errorCode(world.handler.execute(signIn('ada@example.com', 'wrong')))).toBe(
      IdentityErrorCode.InvalidCredentials,
    );
    // A wrong guess during the lock counts towards the reveal limit, not towards another lock.
    expect(world.counted).toContain('during-lock u-ada');
    expect(world.counted).not.toContain('lockout u-ada password');
    world.stopRevealingLock();
    expect(await errorCode(world.handler.execute(signIn()))).toBe(IdentityErrorCode.InvalidCredentials);
  });

  it('counts a failure against the device cookie it came with', async () => {
    const world = signInWorld();
    await world.handler
      .execute(signIn('ada@example.com', 'wrong', 'acme', { deviceId: 'device-ok', userId: 'u-ada' }))
      .catch(() => null);
    expect(world.counted).toContain('device device-ok');
    // The device is trusted for this user: neither the address nor the account counts it.
    expect(world.counted.filter((c) => c.startsWith('ip ') || c.startsWith('lockout'))).toEqual([]);
  });

  it('tells email_not_verified to the right password where the tenant requires a verified address', async () => {
    const world = signInWorld({ settings: { requireVerifiedEmail: true }, user: { emailVerified: false } });
    expect(await errorCode(world.handler.execute(signIn()))).toBe(IdentityErrorCode.EmailNotVerified);
    expect(world.lockout.recordSuccess).not.toHaveBeenCalled();
  });

  it('asks for the second factor a user enrolled and keeps the failure streak until it succeeds; a re-hash is stored now', async () => {
    const world = signInWorld({ subject: { hasConfirmedTotp: true, hasPasskey: true } });
    world.hasher.needsRehash.mockReturnValue(true);
    await expect(world.handler.execute(signIn())).resolves.toMatchObject({
      mfaRequired: true,
      mfaMethods: ['totp', 'recovery_code', 'passkey'],
    });
    expect(world.lockout.recordSuccess).not.toHaveBeenCalled();
    expect(world.rehashed).toEqual([`new-hash(${PASSWORD})`]);
  });

  it('offers a passkey without making it due, unless the tenant requires MFA; passkeys off are not offered', async () => {
    const passkey = signInWorld({ subject: { hasPasskey: true } });
    await expect(passkey.handler.execute(signIn())).resolves.toMatchObject({
      mfaRequired: false,
      mfaMethods: ['passkey'],
    });
    const required = signInWorld({ settings: { mfaPolicy: 'required' }, subject: { hasPasskey: true } });
    await expect(required.handler.execute(signIn())).resolves.toMatchObject({
      mfaRequired: true,
      mfaMethods: ['passkey'],
    });
    const off = signInWorld({ settings: { passkeys: 'off' }, subject: { hasPasskey: true } });
    await expect(off.handler.execute(signIn())).resolves.toMatchObject({ mfaMethods: [] });
    // MFA required with nothing enrolled: the streak ends now (enrolment comes next), re-hash with it.
    const none = signInWorld({ settings: { mfaPolicy: 'required' } });
    none.hasher.needsRehash.mockReturnValue(true);
    await expect(none.handler.execute(signIn())).resolves.toMatchObject({ mfaRequired: true, mfaMethods: [] });
    expect(none.lockout.recordSuccess).toHaveBeenCalledWith('u-ada', `new-hash(${PASSWORD})`);
  });

  describe('passkeys: required-for-admins', () => {
    const REQUIRED = { passkeys: 'required-for-admins' };

    it("makes an administrator's passkey the only second step, TOTP and recovery codes not offered", async () => {
      const world = signInWorld({
        settings: REQUIRED,
        subject: { isAdmin: true, hasPasskey: true, hasConfirmedTotp: true },
      });
      await expect(world.handler.execute(signIn())).resolves.toMatchObject({
        mfaRequired: true,
        mfaMethods: ['passkey'],
        amr: ['pwd'],
      });
      // The streak ends only when the passkey succeeds.
      expect(world.lockout.recordSuccess).not.toHaveBeenCalled();
    });

    it('refuses an administrator without a passkey after the right password (passkey_required), counting nothing', async () => {
      const world = signInWorld({ settings: REQUIRED, subject: { isAdmin: true, hasPasskey: false } });
      expect(await errorCode(world.handler.execute(signIn()))).toBe(IdentityErrorCode.PasskeyRequired);
      expect(world.lockout.recordSuccess).not.toHaveBeenCalled();
      expect(world.counted).toEqual([`ip-check ${TENANT_ID}|${IP}`]);
      // A wrong password tells nothing about the policy.
      const wrong = signInWorld({ settings: REQUIRED, subject: { isAdmin: true, hasPasskey: false } });
      expect(await errorCode(wrong.handler.execute(signIn('ada@example.com', 'wrong')))).toBe(
        IdentityErrorCode.InvalidCredentials,
      );
    });

    it('leaves non-administrators and other policies alone', async () => {
      const member = signInWorld({
        settings: REQUIRED,
        subject: { isAdmin: false, hasConfirmedTotp: true, hasPasskey: true },
      });
      await expect(member.handler.execute(signIn())).resolves.toMatchObject({
        mfaRequired: true,
        mfaMethods: ['totp', 'recovery_code', 'passkey'],
      });
      const plain = signInWorld({ settings: REQUIRED, subject: { isAdmin: false } });
      await expect(plain.handler.execute(signIn())).resolves.toMatchObject({ mfaRequired: false, mfaMethods: [] });
      const allowed = signInWorld({ settings: { passkeys: 'allowed' }, subject: { isAdmin: true } });
      await expect(allowed.handler.execute(signIn())).resolves.toMatchObject({ mfaRequired: false, mfaMethods: [] });
    });
  });
});
