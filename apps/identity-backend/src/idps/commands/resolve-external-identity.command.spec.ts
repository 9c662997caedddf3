import { IdentityErrorCode } from '../../common/identity-error';
import { EventTypes } from '../../events/identity-events';
import { ChangeUserRolesCommand } from '../../roles/commands/role.commands';
import { CreateUserCommand } from '../../users/commands/create-user.command';
import { errorCode, idpWorld, linkEvent, T } from './idps.spec-helper';
import { ResolveExternalIdentityCommand, ResolveExternalIdentityHandler } from './resolve-external-identity.command';

describe('ResolveExternalIdentityHandler', () => {
  const setUp = (federation: { jitProvisioning?: boolean; autoLinkVerifiedEmail?: boolean } = {}) => {
    const world = idpWorld();
    Object.assign(world.idps.get('idp-corp')!, federation);
    const handler = new ResolveExternalIdentityHandler(
      world.dataSource,
      world.repository,
      world.usersRepository,
      world.commands,
      world.events,
      world.tenantsRepository,
      world.rolesRepository,
      world.passkeysRepository,
    );
    return { ...world, handler };
  };
  const resolve = (subject: string, claims: Record<string, unknown>, providerId = 'idp-corp') =>
    new ResolveExternalIdentityCommand(T, providerId, subject, claims);

  it('an existing link wins, whatever the claims say; a linked user who can no longer sign in is told so', async () => {
    const { handler, recorded } = setUp({ autoLinkVerifiedEmail: true });
    await expect(
      handler.execute(resolve('sub-sso', { email: 'ada@example.com', email_verified: true })),
    ).resolves.toEqual({ userId: 'u-sso', tenantId: T, outcome: 'linked' });
    await expect(handler.execute(resolve('sub-gone', {}))).rejects.toMatchObject({
      code: IdentityErrorCode.UserInactive,
      details: { status: 'disabled' },
    });
    expect(recorded).toEqual([]);
  });

  it("links a verified address to the tenant's account when the provider allows it, never an unverified one", async () => {
    const { handler, links, recorded } = setUp({ autoLinkVerifiedEmail: true });
    expect(
      await errorCode(handler.execute(resolve('sub-x', { email: 'Ada@Example.com', email_verified: false }))),
    ).toBe(IdentityErrorCode.NoLinkedUser);
    await expect(
      handler.execute(resolve('sub-x', { email: 'Ada@Example.com', email_verified: 'true' })),
    ).resolves.toEqual({ userId: 'u-ada', tenantId: T, outcome: 'auto_linked' });
    expect(links.at(-1)).toMatchObject({ userId: 'u-ada', subject: 'sub-x', email: 'ada@example.com' });
    expect(recorded).toEqual([linkEvent(EventTypes.userExternalIdentityLinked, 'u-ada')]);
  });

  it('without auto-linking, the same verified address is no link', async () => {
    const { handler } = setUp();
    expect(await errorCode(handler.execute(resolve('sub-x', { email: 'ada@example.com', email_verified: true })))).toBe(
      IdentityErrorCode.NoLinkedUser,
    );
  });

  it("provisions a user from the mapped claims, links them and gives the provider's default role", async () => {
    const { handler, idps, links, sent } = setUp({ jitProvisioning: true });
    Object.assign(idps.get('idp-corp')!, { claimMapping: { name: 'displayName' }, defaultRoleId: 'r-member' });
    await expect(
      handler.execute(
        resolve('sub-new', { email: 'New@Corp.example', displayName: 'Grace\u200b Hopper', name: 'ignored' }),
      ),
    ).resolves.toEqual({ userId: 'u-new', tenantId: T, outcome: 'provisioned' });
    const [create, roles] = sent as [CreateUserCommand, ChangeUserRolesCommand];
    expect(create).toBeInstanceOf(CreateUserCommand);
    expect(create.user).toEqual({
      tenantId: T,
      email: 'New@Corp.example',
      emailVerified: false,
      profile: { name: 'Grace Hopper' },
      origin: 'self-registration',
      actor: null,
    });
    expect(links.at(-1)).toMatchObject({ userId: 'u-new', subject: 'sub-new', email: 'new@corp.example' });
    expect(roles).toBeInstanceOf(ChangeUserRolesCommand);
    expect(roles).toMatchObject({ tenantId: T, userId: 'u-new', add: ['r-member'], remove: [], actor: null });
  });

  it('provisions nobody without an address, and refuses a disabled provider', async () => {
    const { handler, sent } = setUp({ jitProvisioning: true });
    expect(await errorCode(handler.execute(resolve('sub-new', { name: 'No Mail' })))).toBe(
      IdentityErrorCode.NoLinkedUser,
    );
    expect(await errorCode(handler.execute(resolve('sub-sso', {}, 'idp-off')))).toBe(IdentityErrorCode.IdpNotFound);
    expect(await errorCode(handler.execute(resolve('sub-sso', {}, 'idp-theirs')))).toBe(IdentityErrorCode.IdpNotFound);
    expect(sent).toEqual([]);
  });

  describe('under the passkey policy required-for-admins (issue 16)', () => {
    /** u-sso and u-ada administer the tenant (users:write); u-sso holds a passkey. */
    const withPolicy = (passkeys: 'allowed' | 'required-for-admins', federation = {}) => {
      const world = setUp({ autoLinkVerifiedEmail: true, ...federation });
      world.settings.passkeys = passkeys;
      world.userRoles.set('u-sso', ['r-admin']);
      world.userRoles.set('u-ada', ['r-member', 'r-admin']);
      world.passkeyHolders.add('u-sso');
      return world;
    };

    it("asks an administrator's upstream sign-in for their passkey, as after a password", async () => {
      const { handler } = withPolicy('required-for-admins');
      await expect(handler.execute(resolve('sub-sso', {}))).resolves.toEqual({
        userId: 'u-sso',
        tenantId: T,
        outcome: 'linked',
        mfaMethods: ['passkey'],
      });
    });

    it('refuses an administrator who holds no passkey (passkey_required), once the account is known', async () => {
      const { handler, links } = withPolicy('required-for-admins');
      expect(
        await errorCode(handler.execute(resolve('sub-x', { email: 'ada@example.com', email_verified: true }))),
      ).toBe(IdentityErrorCode.PasskeyRequired);
      // The link stands: the next sign-in is refused the same way until a passkey is enrolled.
      expect(links.at(-1)).toMatchObject({ userId: 'u-ada', subject: 'sub-x' });
    });

    it("counts the provider's default role: a provisioned administrator without a passkey is refused", async () => {
      const { handler, idps } = withPolicy('required-for-admins', { jitProvisioning: true });
      idps.get('idp-corp')!.defaultRoleId = 'r-admin';
      expect(await errorCode(handler.execute(resolve('sub-new', { email: 'new@corp.example' })))).toBe(
        IdentityErrorCode.PasskeyRequired,
      );
    });

    it('leaves users without a *:write permission alone, and asks nobody under `allowed`', async () => {
      const required = withPolicy('required-for-admins');
      required.userRoles.set('u-ada', ['r-member']);
      await expect(
        required.handler.execute(resolve('sub-x', { email: 'ada@example.com', email_verified: true })),
      ).resolves.toEqual({ userId: 'u-ada', tenantId: T, outcome: 'auto_linked' });
      const allowed = withPolicy('allowed');
      await expect(allowed.handler.execute(resolve('sub-sso', {}))).resolves.toEqual({
        userId: 'u-sso',
        tenantId: T,
        outcome: 'linked',
      });
    });
  });
});
