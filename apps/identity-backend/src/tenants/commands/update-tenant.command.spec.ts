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
});
