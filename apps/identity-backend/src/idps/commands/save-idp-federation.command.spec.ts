import { IdentityErrorCode } from '../../common/identity-error';
import { EventTypes } from '../../events/identity-events';
import { errorCode, idpWorld, T } from './idps.spec-helper';
import { SaveIdpFederationCommand, SaveIdpFederationHandler } from './save-idp-federation.command';

describe('SaveIdpFederationHandler', () => {
  const setUp = () => {
    const { dataSource, repository, rolesRepository, events, ...world } = idpWorld();
    return { ...world, handler: new SaveIdpFederationHandler(dataSource, repository, rolesRepository, events) };
  };
  const settings = (defaultRoleId: string | null) => ({
    jitProvisioning: true,
    autoLinkVerifiedEmail: true,
    claimMapping: { name: 'displayName' },
    defaultRoleId,
  });

  it('replaces the federation settings and announces the change', async () => {
    const { handler, idps, recorded } = setUp();
    const saved = await handler.execute(new SaveIdpFederationCommand(T, 'idp-corp', settings('r-member')));
    expect(saved).toMatchObject(settings('r-member'));
    expect(idps.get('idp-corp')).toMatchObject({ ...settings('r-member'), slug: 'corp', clientId: 'rp' });
    expect(recorded).toEqual([
      expect.objectContaining({
        type: EventTypes.tenantIdpChanged,
        data: { tenantId: T, idpId: 'idp-corp', change: 'updated' },
      }),
    ]);
    await handler.execute(new SaveIdpFederationCommand(T, 'idp-corp', settings(null)));
    expect(idps.get('idp-corp')!.defaultRoleId).toBeNull();
  });

  it("takes only a role of the tenant's that hands out no platform power, and writes nothing otherwise", async () => {
    const { handler, idps, recorded } = setUp();
    expect(await errorCode(handler.execute(new SaveIdpFederationCommand(T, 'idp-corp', settings('r-theirs'))))).toBe(
      IdentityErrorCode.RoleNotFound,
    );
    expect(await errorCode(handler.execute(new SaveIdpFederationCommand(T, 'idp-corp', settings('r-root'))))).toBe(
      IdentityErrorCode.ReservedPermission,
    );
    expect(await errorCode(handler.execute(new SaveIdpFederationCommand(T, 'idp-theirs', settings('r-member'))))).toBe(
      IdentityErrorCode.IdpNotFound,
    );
    expect(idps.get('idp-corp')).toMatchObject({ jitProvisioning: false, defaultRoleId: null });
    expect(recorded).toEqual([]);
  });
});
