import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import { IdentityErrorCode } from '../../common/identity-error';
import type { LockoutService } from '../../credentials/lockout.service';
import { EventTypes } from '../../events/identity-events';
import { errorCode } from '../../users/commands/commands.spec-helper';
import { PasskeyErrorCode } from '../passkey-error';
import {
  StartPasskeyAuthenticationCommand,
  StartPasskeyAuthenticationHandler,
  VerifyPasskeyCommand,
  VerifyPasskeyHandler,
} from './passkey-sign-in.commands';
import { ADA, assertion, BOB, LOCKED, passkeyWorld, T } from './passkeys.spec-helper';

// The cryptography is the library's (and its own tests'); what is tested here is the platform's rules around it.
jest.mock('@simplewebauthn/server', () => ({
  generateAuthenticationOptions: jest.fn(async (o: object) => ({ ...o, challenge: `challenge-${Math.random()}` })),
  verifyAuthenticationResponse: jest.fn(),
}));
type Verification = Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
const signatureChecks = (info: { newCounter: number; backedUp?: boolean } | 'bad signature') =>
  jest.mocked(verifyAuthenticationResponse).mockImplementation(async () => {
    if (info === 'bad signature') throw new Error('Signature verification failed');
    return {
      verified: true,
      authenticationInfo: {
        newCounter: info.newCounter,
        credentialBackedUp: info.backedUp ?? false,
        credentialDeviceType: info.backedUp ? 'multiDevice' : 'singleDevice',
        userVerified: true,
      },
    } as unknown as Verification;
  });

describe('passkey sign-in commands', () => {
  const setUp = (settings = {}) => {
    const world = passkeyWorld(settings);
    return {
      ...world,
      start: new StartPasskeyAuthenticationHandler(world.tenants, world.users, world.repository, world.ceremonies),
      verify: new VerifyPasskeyHandler(world.tenants, world.ceremonies, world.lockout as unknown as LockoutService),
    };
  };

  it("offers a second factor the user's own passkeys, and an unknown login the same discoverable options as none", async () => {
    const { start, challenges } = setUp();
    const second = await start.execute(new StartPasskeyAuthenticationCommand('acme', { userId: ADA }));
    expect(second).toMatchObject({
      userVerification: 'preferred',
      allowCredentials: [{ id: 'cred-ada', type: 'public-key' }],
    });
    const unknown = await start.execute(new StartPasskeyAuthenticationCommand('acme', { login: 'nobody@example.com' }));
    const none = await start.execute(new StartPasskeyAuthenticationCommand('acme', {}));
    for (const options of [unknown, none]) {
      expect(options).toMatchObject({ userVerification: 'required', allowCredentials: [] });
    }
    expect(challenges.map((c) => [c.userId, c.userVerification])).toEqual([
      [ADA, 'preferred'],
      [null, 'required'],
      [null, 'required'],
    ]);
    expect(await errorCode(start.execute(new StartPasskeyAuthenticationCommand('acme', { userId: 'u-x' })))).toBe(
      IdentityErrorCode.UserNotFound,
    );
  });

  it('refuses an unknown tenant and one whose policy switched passkeys off', async () => {
    expect(await errorCode(setUp().start.execute(new StartPasskeyAuthenticationCommand('other', {})))).toBe(
      IdentityErrorCode.TenantNotFound,
    );
    const off = setUp({ passkeys: 'off' });
    expect(await errorCode(off.start.execute(new StartPasskeyAuthenticationCommand(T, {})))).toBe(
      PasskeyErrorCode.PasskeysDisabled,
    );
  });

  it('signs in with a verified passkey as both factors, moving its counter forward and ending the failure streak', async () => {
    const { start, verify, passkeys, lockout } = setUp();
    const { challenge } = await start.execute(new StartPasskeyAuthenticationCommand('acme', {}));
    signatureChecks({ newCounter: 6 });
    await expect(verify.execute(new VerifyPasskeyCommand('acme', assertion('cred-ada', challenge)))).resolves.toEqual({
      userId: ADA,
      tenantId: T,
      status: 'active',
      mfaRequired: false,
      mfaMethods: [],
      amr: ['hwk', 'mfa'],
      mustChangePassword: false,
    });
    expect(passkeys[0]).toMatchObject({ signCount: '6', lastUsedAt: expect.any(Date) });
    expect(lockout.recordSuccess).toHaveBeenCalledWith(ADA);
    // The challenge was used up: the same answer again is refused.
    expect(await errorCode(verify.execute(new VerifyPasskeyCommand('acme', assertion('cred-ada', challenge))))).toBe(
      PasskeyErrorCode.InvalidPasskey,
    );
  });

  it('refuses a counter at or below the stored one (a cloned authenticator): audited, counted, the counter kept', async () => {
    const { start, verify, passkeys, recorded, failures, lockout } = setUp();
    for (const newCounter of [5, 3]) {
      const { challenge } = await start.execute(new StartPasskeyAuthenticationCommand('acme', {}));
      signatureChecks({ newCounter });
      expect(await errorCode(verify.execute(new VerifyPasskeyCommand('acme', assertion('cred-ada', challenge))))).toBe(
        PasskeyErrorCode.CounterRegression,
      );
    }
    expect(passkeys[0]!.signCount).toBe('5');
    expect(recorded).toEqual([
      expect.objectContaining({
        type: EventTypes.userPasskeyCounterRegressed,
        data: { userId: ADA, passkeyId: 'pk-ada', storedCount: 5, presentedCount: 5 },
      }),
      expect.objectContaining({ data: expect.objectContaining({ presentedCount: 3 }) }),
    ]);
    expect(failures).toEqual([`${ADA}:passkey`, `${ADA}:passkey`]);
    expect(lockout.recordSuccess).not.toHaveBeenCalled();
  });

  it("answers invalid_passkey alike for a bad signature (counted), another user's handle, a second factor of someone else and an inactive user", async () => {
    const { start, verify, failures, passkeys } = setUp();
    const answer = async (credentialId: string, target: { userId?: string } = {}, handle?: string) => {
      const { challenge } = await start.execute(new StartPasskeyAuthenticationCommand('acme', target));
      return errorCode(verify.execute(new VerifyPasskeyCommand('acme', assertion(credentialId, challenge, handle))));
    };
    signatureChecks('bad signature');
    expect(await answer('cred-ada')).toBe(PasskeyErrorCode.InvalidPasskey);
    expect(failures).toEqual([`${ADA}:passkey`]);
    signatureChecks({ newCounter: 9 });
    const bobsHandle = Buffer.from(BOB.replace(/-/g, ''), 'hex').toString('base64url');
    expect(await answer('cred-ada', {}, bobsHandle)).toBe(PasskeyErrorCode.InvalidPasskey);
    expect(await answer('cred-ada', { userId: BOB })).toBe(PasskeyErrorCode.InvalidPasskey);
    expect(await answer('cred-unknown')).toBe(PasskeyErrorCode.InvalidPasskey);
    passkeys[0]!.userId = LOCKED;
    expect(await answer('cred-ada')).toBe(PasskeyErrorCode.InvalidPasskey);
    expect(passkeys[0]!.signCount).toBe('5');
  });
});
