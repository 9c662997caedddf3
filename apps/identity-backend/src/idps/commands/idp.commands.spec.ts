import { IdentityErrorCode } from '../../common/identity-error';
import type { IdentityBackendConfig } from '../../config';
import { EventTypes } from '../../events/identity-events';
import type { CreateIdpDto } from '../dto/idp.dto';
import {
  DeleteIdpCommand,
  DeleteIdpHandler,
  SaveIdpCommand,
  SaveIdpHandler,
  UnlinkExternalIdentityCommand,
  UnlinkExternalIdentityHandler,
} from './idp.commands';
import { errorCode, idpWorld, linkEvent, OTHER, T } from './idps.spec-helper';

describe('IdP commands', () => {
  const setUp = () => {
    const world = idpWorld();
    const config = { OUTBOUND_ALLOW_PRIVATE_NETWORK: false } as IdentityBackendConfig;
    return {
      ...world,
      save: new SaveIdpHandler(world.dataSource, world.repository, world.events, config),
      remove: new DeleteIdpHandler(world.dataSource, world.repository, world.events),
      unlink: new UnlinkExternalIdentityHandler(world.dataSource, world.repository, world.events),
    };
  };
  // No issuer: the outbound check (DNS, discovery) is the one case that names one.
  const fields = (changes: Partial<CreateIdpDto> = {}) =>
    ({
      slug: 'partner',
      displayName: 'Partner',
      clientId: 'rp-2',
      clientSecret: 'an upstream secret',
      ...changes,
    }) as CreateIdpDto;

  it("creates a provider in the tenant with its secret sealed to the new row's id, and announces it", async () => {
    const { save, idps, recorded } = setUp();
    const idp = await save.execute(new SaveIdpCommand(T, null, fields()));
    expect(idp).toMatchObject({ tenantId: T, slug: 'partner', clientSecretSealed: `sealed-for-${idp.id}:18` });
    expect(idp).not.toHaveProperty('clientSecret');
    expect(idps.get(idp.id)).toMatchObject({ tenantId: T, slug: 'partner' });
    expect(recorded).toEqual([
      expect.objectContaining({
        type: EventTypes.tenantIdpChanged,
        tenantId: T,
        data: { tenantId: T, idpId: idp.id, change: 'created' },
      }),
    ]);
  });

  it("updates the tenant's own provider, keeps its secret unless a new one is given, and never another tenant's", async () => {
    const { save, idps, recorded } = setUp();
    idps.get('idp-corp')!.clientSecretSealed = 'sealed-before';
    await save.execute(new SaveIdpCommand(T, 'idp-corp', { displayName: 'Corporate SSO' }));
    expect(idps.get('idp-corp')).toMatchObject({ displayName: 'Corporate SSO', clientSecretSealed: 'sealed-before' });
    expect(recorded.map((e) => e.data.change)).toEqual(['updated']);
    expect(await errorCode(save.execute(new SaveIdpCommand(T, 'idp-theirs', { displayName: 'Mine' })))).toBe(
      IdentityErrorCode.IdpNotFound,
    );
    expect(idps.get('idp-theirs')!.displayName).toBe('Corp');
  });

  it('answers idp_slug_taken for a slug the tenant already uses', async () => {
    const { save, takeSlugs, recorded } = setUp();
    takeSlugs();
    expect(await errorCode(save.execute(new SaveIdpCommand(T, null, fields({ slug: 'corp' }))))).toBe(
      IdentityErrorCode.IdpSlugTaken,
    );
    expect(recorded).toEqual([]);
  });

  it('refuses an issuer on a private address before writing anything', async () => {
    const { save, idps, recorded } = setUp();
    await expect(save.execute(new SaveIdpCommand(T, 'idp-corp', { issuer: 'https://10.0.0.7' }))).rejects.toMatchObject(
      { code: IdentityErrorCode.OutboundTargetForbidden, details: { field: 'issuer' } },
    );
    expect(idps.get('idp-corp')!.issuer).toBe('https://sso.corp.example');
    expect(recorded).toEqual([]);
  });

  it("deletes the tenant's provider with an event; another tenant's is not found", async () => {
    const { remove, idps, recorded } = setUp();
    await remove.execute(new DeleteIdpCommand(T, 'idp-corp'));
    expect(idps.has('idp-corp')).toBe(false);
    expect(recorded).toEqual([
      expect.objectContaining({
        type: EventTypes.tenantIdpChanged,
        data: expect.objectContaining({ change: 'deleted' }),
      }),
    ]);
    expect(await errorCode(remove.execute(new DeleteIdpCommand(T, 'idp-theirs')))).toBe(IdentityErrorCode.IdpNotFound);
    expect(idps.has('idp-theirs')).toBe(true);
  });

  it("unlinks under the user's row lock, and keeps a self-service user's only way to sign in", async () => {
    const { unlink, links, locked, recorded } = setUp();
    expect(await errorCode(unlink.execute(new UnlinkExternalIdentityCommand(T, 'u-sso', 'link-sso', true)))).toBe(
      IdentityErrorCode.LastSignInMethod,
    );
    expect(links.map((l) => l.id)).toContain('link-sso');
    // An administrator may remove it all the same.
    await unlink.execute(new UnlinkExternalIdentityCommand(T, 'u-sso', 'link-sso'));
    expect(links.map((l) => l.id)).not.toContain('link-sso');
    expect(locked).toEqual(['u-sso', 'u-sso']);
    expect(recorded).toEqual([linkEvent(EventTypes.userExternalIdentityUnlinked, 'u-sso')]);
  });

  it("does not find another user's link, or a link of the user asked for in another tenant", async () => {
    const { unlink, links } = setUp();
    for (const command of [
      new UnlinkExternalIdentityCommand(T, 'u-ada', 'link-sso'),
      new UnlinkExternalIdentityCommand(OTHER, 'u-sso', 'link-sso'),
    ]) {
      expect(await errorCode(unlink.execute(command))).toBe(IdentityErrorCode.ExternalIdentityNotFound);
    }
    expect(links).toHaveLength(2);
  });
});
