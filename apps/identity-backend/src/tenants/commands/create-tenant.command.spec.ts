import { IdentityErrorCode } from '../../common/identity-error';
import { EventTypes } from '../../events/identity-events';
import { BUILT_IN_ROLES } from '../../roles/built-in-roles';
import { CreateTenantCommand } from './create-tenant.command';
import { errorCode, tenantCommandsUnderTest } from './tenant-commands.spec-helper';

describe('CreateTenantHandler', () => {
  const setUp = tenantCommandsUnderTest;
  const code = errorCode;

  it('creates a tenant with its own copy of every built-in role, and announces it', async () => {
    const { create, inserted, recorded } = setUp();
    const tenant = await create.execute(new CreateTenantCommand('acme', 'Acme', { selfRegistration: false }));
    expect(tenant).toMatchObject({ slug: 'acme', displayName: 'Acme', settings: { selfRegistration: false } });
    expect(inserted).toHaveLength(1);
    expect(inserted[0]!.rows.map((r) => r.name)).toEqual(BUILT_IN_ROLES.map((r) => r.name));
    expect(inserted[0]!.rows.every((r) => r.tenantId === tenant.id)).toBe(true);
    expect(recorded).toEqual([
      expect.objectContaining({
        type: EventTypes.tenantCreated,
        tenantId: tenant.id,
        data: expect.objectContaining({ slug: 'acme' }),
      }),
    ]);
  });

  it('answers a taken slug with tenant_slug_taken', async () => {
    const { create, takeSlugs } = setUp();
    takeSlugs();
    expect(await code(create.execute(new CreateTenantCommand('acme', 'Acme')))).toBe(IdentityErrorCode.TenantSlugTaken);
  });
});
