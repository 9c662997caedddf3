import { IdentityErrorCode } from '../../common/identity-error';
import type { PasskeyCeremonies } from '../../passkeys/passkey-ceremonies';
import { totpCode } from '../totp';
import { mfaWorld, TENANT_ID } from './mfa.spec-helper';
import { VerifyMfaCommand, VerifyMfaHandler } from './verify-mfa.command';

describe('VerifyMfaHandler', () => {
  const handlerIn = (world: ReturnType<typeof mfaWorld>) =>
    new VerifyMfaHandler(
      world.dataSource,
      world.users,
      world.tenants,
      world.mfa,
      world.lockout,
      {} as PasskeyCeremonies,
    );
  const verify = (method: 'totp' | 'recovery_code', code: string) =>
    new VerifyMfaCommand(TENANT_ID, 'u-ada', method, code);

  it('accepts a current TOTP code once: the same code again is refused and counted (replay)', async () => {
    const world = mfaWorld();
    const handler = handlerIn(world);
    const code = totpCode(world.secret);
    await expect(handler.execute(verify('totp', code))).resolves.toEqual({ amr: ['pwd', 'otp'] });
    expect(world.successes).toEqual(['u-ada']);
    await expect(handler.execute(verify('totp', code))).rejects.toMatchObject({
      code: IdentityErrorCode.InvalidMfaCode,
    });
    expect(world.failures).toEqual(['u-ada']);
  });

  it('uses a recovery code up', async () => {
    const world = mfaWorld();
    const handler = handlerIn(world);
    await expect(handler.execute(verify('recovery_code', 'rc-1'))).resolves.toEqual({ amr: ['pwd', 'mfa'] });
    expect(world.recoveryCodes()).toEqual(['rc-2']);
    await expect(handler.execute(verify('recovery_code', 'rc-1'))).rejects.toMatchObject({
      code: IdentityErrorCode.InvalidMfaCode,
    });
  });

  it('answers invalid_mfa_code, uncounted, without a confirmed factor or for an inactive user', async () => {
    for (const world of [mfaWorld({ confirmed: false }), mfaWorld({ status: 'disabled' })]) {
      await expect(handlerIn(world).execute(verify('totp', totpCode(world.secret)))).rejects.toMatchObject({
        code: IdentityErrorCode.InvalidMfaCode,
      });
      expect(world.failures).toEqual([]);
    }
  });
});
