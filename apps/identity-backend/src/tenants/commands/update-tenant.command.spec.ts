import { IdentityErrorCode } from '../../common/identity-error';
import { EventTypes } from '../../events/identity-events';
import { CreateTenantCommand } from './create-tenant.command';
import { errorCode, tenantCommandsUnderTest } from './tenant-commands.spec-helper';
import { UpdateTenantCommand } from './update-tenant.command';

describe('UpdateTenantHandler', () => {
  const setUp = tenantCommandsUnderTest;
  const code = errorCode;

  it('merges settings one section deep, changes the rest as given and names what changed', async () => {
    const { create, update, recorded } = setUp();
    const tenant = await create.execute(new CreateTenantCommand('acme', 'Acme'));
    const updated = await update.execute(
      new UpdateTenantCommand(tenant.id, {
        displayName: 'Acme Corp',
        settings: { lockoutPolicy: { maxFailedAttempts: 3 } } as UpdateTenantCommand['changes']['settings'],
      }),
    );
    expect(updated.displayName).toBe('Acme Corp');
    expect(updated.settings).toMatchObject({ lockoutPolicy: { maxFailedAttempts: 3, lockSeconds: 60 } });
    expect(recorded.at(-1)).toMatchObject({
      type: EventTypes.tenantUpdated,
      data: { changed: ['displayName', 'settings'] },
    });
  });

  it('does not find an unknown tenant', async () => {
    const { update } = setUp();
    expect(await code(update.execute(new UpdateTenantCommand('nope', { displayName: 'X' })))).toBe(
      IdentityErrorCode.TenantNotFound,
    );
  });

  it('refuses requiring passkeys of administrators when the administrator asking holds none (passkey_policy_lockout)', async () => {
    const { create, update, givePasskey } = setUp();
    const tenant = await create.execute(new CreateTenantCommand('acme', 'Acme'));
    const requireAdmins = { settings: { passkeys: 'required-for-admins' as const } };
    const own = { userId: 'u-admin', tenantId: tenant.id };
    expect(await code(update.execute(new UpdateTenantCommand(tenant.id, requireAdmins, own)))).toBe(
      IdentityErrorCode.PasskeyPolicyLockout,
    );
    // A platform operator (another tenant) and a client are not concerned; nor is an admin with a passkey.
    const operator = { userId: 'u-operator', tenantId: 'operators' };
    await expect(update.execute(new UpdateTenantCommand(tenant.id, requireAdmins, operator))).resolves.toMatchObject({
      settings: { passkeys: 'required-for-admins' },
    });
    const other = await create.execute(new CreateTenantCommand('globex', 'Globex'));
    await expect(update.execute(new UpdateTenantCommand(other.id, requireAdmins))).resolves.toBeDefined();
    const third = await create.execute(new CreateTenantCommand('initech', 'Initech'));
    givePasskey('u-admin');
    await expect(
      update.execute(new UpdateTenantCommand(third.id, requireAdmins, { userId: 'u-admin', tenantId: third.id })),
    ).resolves.toBeDefined();
  });

  it('lets an administrator without a passkey change other settings once the policy is on', async () => {
    const { create, update } = setUp();
    const tenant = await create.execute(new CreateTenantCommand('acme', 'Acme'));
    await update.execute(new UpdateTenantCommand(tenant.id, { settings: { passkeys: 'required-for-admins' } }));
    const own = { userId: 'u-admin', tenantId: tenant.id };
    await expect(
      update.execute(new UpdateTenantCommand(tenant.id, { settings: { passkeys: 'required-for-admins' } }, own)),
    ).resolves.toBeDefined();
  });
});
