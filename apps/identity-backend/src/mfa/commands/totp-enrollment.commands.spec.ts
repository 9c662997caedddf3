import { IdentityErrorCode } from '../../common/identity-error';
import { EventTypes } from '../../events/identity-events';
import { totpCode } from '../totp';
import { mfaWorld, TENANT_ID } from './mfa.spec-helper';
import {
  ConfirmTotpCommand,
  ConfirmTotpHandler,
  RegenerateRecoveryCodesCommand,
  RegenerateRecoveryCodesHandler,
  RemoveMfaCommand,
  RemoveMfaHandler,
  StartTotpEnrollmentCommand,
  StartTotpEnrollmentHandler,
} from './totp-enrollment.commands';

describe('TOTP enrollment', () => {
  const handlers = (world: ReturnType<typeof mfaWorld>) => ({
    start: new StartTotpEnrollmentHandler(world.dataSource, world.users, world.tenants, world.mfa),
    confirm: new ConfirmTotpHandler(world.dataSource, world.users, world.mfa, world.events),
    regenerate: new RegenerateRecoveryCodesHandler(world.dataSource, world.users, world.mfa),
    remove: new RemoveMfaHandler(world.dataSource, world.users, world.mfa, world.events),
  });

  it('starts with a fresh secret, its otpauth URI and QR code; the first valid code confirms it', async () => {
    const world = mfaWorld({ enrolled: false });
    const { start, confirm } = handlers(world);
    const enrollment = await start.execute(new StartTotpEnrollmentCommand(TENANT_ID, 'u-ada'));
    expect(enrollment.otpauthUri).toMatch(/^otpauth:\/\/totp\/Acme:ada%40example\.com\?secret=/);
    expect(enrollment.qrCode).toMatch(/^data:image\/png;base64,/);
    expect(world.factor()).toMatchObject({ secretSealed: enrollment.secret, confirmedAt: null });

    await expect(confirm.execute(new ConfirmTotpCommand(TENANT_ID, 'u-ada', '000000'))).rejects.toMatchObject({
      code: IdentityErrorCode.InvalidMfaCode,
    });
    const { recoveryCodes } = await confirm.execute(
      new ConfirmTotpCommand(TENANT_ID, 'u-ada', totpCode(enrollment.secret)),
    );
    expect(recoveryCodes).toHaveLength(2);
    expect(world.factor()!.confirmedAt).toBeInstanceOf(Date);
    expect(world.recorded.map((e) => e.type)).toEqual([EventTypes.userMfaEnabled]);
  });

  it('refuses a second enrollment once one is confirmed', async () => {
    const world = mfaWorld();
    await expect(
      handlers(world).start.execute(new StartTotpEnrollmentCommand(TENANT_ID, 'u-ada')),
    ).rejects.toMatchObject({ code: IdentityErrorCode.MfaAlreadyEnabled });
  });

  it('regenerates recovery codes only with a current code', async () => {
    const world = mfaWorld();
    const { regenerate } = handlers(world);
    await expect(
      regenerate.execute(new RegenerateRecoveryCodesCommand(TENANT_ID, 'u-ada', '000000')),
    ).rejects.toMatchObject({ code: IdentityErrorCode.InvalidMfaCode });
    await expect(
      regenerate.execute(new RegenerateRecoveryCodesCommand(TENANT_ID, 'u-ada', totpCode(world.secret))),
    ).resolves.toEqual({ recoveryCodes: ['rc-new-1', 'rc-new-2'] });
  });

  it("removes the factor with the user's current code, or without one for an administrator's reset", async () => {
    const own = mfaWorld();
    await handlers(own).remove.execute(new RemoveMfaCommand(TENANT_ID, 'u-ada', totpCode(own.secret), 'u-ada'));
    expect(own.factor()).toBeNull();
    expect(own.recorded).toEqual([
      expect.objectContaining({
        type: EventTypes.userMfaDisabled,
        data: { userId: 'u-ada', method: 'totp', actor: 'u-ada' },
      }),
    ]);
    const reset = mfaWorld();
    await handlers(reset).remove.execute(new RemoveMfaCommand(TENANT_ID, 'u-ada', null, 'admin-1'));
    expect(reset.factor()).toBeNull();
    // Nothing to remove: no event.
    await handlers(reset).remove.execute(new RemoveMfaCommand(TENANT_ID, 'u-ada', null, 'admin-1'));
    expect(reset.recorded).toHaveLength(1);
  });
});
