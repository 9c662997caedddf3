import { type RegistrationResponseJSON, verifyRegistrationResponse } from '@simplewebauthn/server';
import { IdentityErrorCode } from '../../common/identity-error';
import { EventTypes } from '../../events/identity-events';
import { errorCode } from '../../users/commands/commands.spec-helper';
import type { RolesRepository } from '../../roles/roles.repository';
import { PasskeyErrorCode } from '../passkey-error';
import {
  DeletePasskeyCommand,
  DeletePasskeyHandler,
  FinishPasskeyRegistrationCommand,
  FinishPasskeyRegistrationHandler,
  RenamePasskeyCommand,
  RenamePasskeyHandler,
  StartPasskeyRegistrationCommand,
  StartPasskeyRegistrationHandler,
} from './passkey-registration.commands';
import { ADA, BOB, LOCKED, passkeyWorld, T } from './passkeys.spec-helper';

// The attestation's cryptography is the library's; the platform's rules around it are tested here.
jest.mock('@simplewebauthn/server', () => ({
  generateRegistrationOptions: jest.fn(async (o: object) => ({ ...o, challenge: `challenge-${Math.random()}` })),
  verifyRegistrationResponse: jest.fn(),
}));
type Verification = Awaited<ReturnType<typeof verifyRegistrationResponse>>;
jest.mocked(verifyRegistrationResponse).mockImplementation(
  async () =>
    ({
      verified: true,
      registrationInfo: {
        credential: { id: 'cred-new', publicKey: new Uint8Array([1, 2, 3]), counter: 0, transports: ['hybrid'] },
        aaguid: 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4',
        credentialDeviceType: 'multiDevice',
        credentialBackedUp: true,
      },
    }) as unknown as Verification,
);

const attestation = (challenge: string): RegistrationResponseJSON => ({
  id: 'cred-new',
  rawId: 'cred-new',
  type: 'public-key',
  response: {
    clientDataJSON: Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge })).toString('base64url'),
    attestationObject: 'attestation',
  },
  clientExtensionResults: {},
});

describe('passkey registration commands', () => {
  const setUp = (settings = {}, permissionsOf: Record<string, string[]> = {}) => {
    const world = passkeyWorld(settings);
    const { dataSource, users, tenants, ceremonies, repository, events } = world;
    // Each user's effective permissions, as one role (directly or through groups: RolesRepository's business).
    const roles = {
      effectiveAuthority: jest.fn(async (_tenantId: string, userId: string) => ({
        roles: [{ id: 'r1', name: 'role', permissions: permissionsOf[userId] ?? [] }],
        groups: [],
      })),
    } as unknown as RolesRepository;
    return {
      ...world,
      roles,
      start: new StartPasskeyRegistrationHandler(users, tenants, ceremonies),
      finish: new FinishPasskeyRegistrationHandler(dataSource, users, tenants, ceremonies, repository, events),
      rename: new RenamePasskeyHandler(repository),
      remove: new DeletePasskeyHandler(dataSource, repository, events, tenants, roles),
    };
  };
  const enrol = async (world: ReturnType<typeof setUp>, userId = ADA, name = ' Phone ') => {
    const { challenge } = await world.start.execute(new StartPasskeyRegistrationCommand(T, userId));
    return world.finish.execute(new FinishPasskeyRegistrationCommand(T, userId, name, attestation(challenge)));
  };

  it("asks for a discoverable, user-verified passkey for the user's handle, excluding those the user has", async () => {
    const world = setUp();
    const options = await world.start.execute(new StartPasskeyRegistrationCommand(T, ADA));
    expect(options).toMatchObject({
      rpID: 'id.example',
      rpName: 'Acme',
      userName: 'ada@example.com',
      excludeCredentials: [{ id: 'cred-ada', transports: ['internal'] }],
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    expect(Buffer.from((options as unknown as { userID: Uint8Array }).userID).toString('hex')).toBe(
      ADA.replace(/-/g, ''),
    );
    expect(world.challenges).toEqual([
      expect.objectContaining({ purpose: 'registration', tenantId: T, userId: ADA, userVerification: 'required' }),
    ]);
  });

  it('refuses an inactive user, another tenant, and a tenant with passkeys off', async () => {
    const world = setUp();
    expect(await errorCode(world.start.execute(new StartPasskeyRegistrationCommand(T, LOCKED)))).toBe(
      IdentityErrorCode.UserNotFound,
    );
    expect(await errorCode(world.start.execute(new StartPasskeyRegistrationCommand('tenant-b', ADA)))).toBe(
      IdentityErrorCode.UserNotFound,
    );
    const off = setUp({ passkeys: 'off' });
    expect(await errorCode(off.start.execute(new StartPasskeyRegistrationCommand(T, ADA)))).toBe(
      PasskeyErrorCode.PasskeysDisabled,
    );
  });

  it('keeps the public key, counter and transports under the trimmed name, and announces the new passkey', async () => {
    const world = setUp();
    const passkey = await enrol(world);
    expect(passkey).toMatchObject({
      tenantId: T,
      userId: ADA,
      credentialId: 'cred-new',
      publicKey: Buffer.from([1, 2, 3]),
      signCount: '0',
      transports: ['hybrid'],
      deviceType: 'multiDevice',
      backedUp: true,
      name: 'Phone',
    });
    expect(world.recorded).toEqual([
      expect.objectContaining({
        type: EventTypes.userPasskeyAdded,
        data: { userId: ADA, passkeyId: passkey.id, backedUp: true },
      }),
    ]);
    expect(world.challenges).toEqual([]);
  });

  it("refuses a used or another user's challenge, an invisible name and a credential registered already", async () => {
    const world = setUp();
    const { challenge } = await world.start.execute(new StartPasskeyRegistrationCommand(T, ADA));
    const finish = (userId: string, name = 'Key') =>
      errorCode(world.finish.execute(new FinishPasskeyRegistrationCommand(T, userId, name, attestation(challenge))));
    expect(await finish(ADA, 'Key\u200b')).toBe(IdentityErrorCode.InvalidCharacters);
    expect(await finish(BOB)).toBe(PasskeyErrorCode.RegistrationFailed);
    // Used up by the failed attempt: every challenge answers once.
    expect(await finish(ADA)).toBe(PasskeyErrorCode.RegistrationFailed);
    await enrol(world);
    expect(await errorCode(enrol(world, ADA, 'Again'))).toBe(PasskeyErrorCode.AlreadyRegistered);
    expect(world.passkeys.map((p) => p.name)).toEqual(['Laptop', 'Phone']);
  });

  it("renames and deletes only the user's own passkey; deleting one is announced with who did it", async () => {
    const world = setUp();
    await world.rename.execute(new RenamePasskeyCommand(T, ADA, 'pk-ada', '  Work laptop '));
    expect(world.passkeys[0]!.name).toBe('Work laptop');
    expect(await errorCode(world.rename.execute(new RenamePasskeyCommand(T, BOB, 'pk-ada', 'Mine')))).toBe(
      PasskeyErrorCode.PasskeyNotFound,
    );
    expect(await errorCode(world.remove.execute(new DeletePasskeyCommand(T, BOB, 'pk-ada', BOB)))).toBe(
      PasskeyErrorCode.PasskeyNotFound,
    );
    await world.remove.execute(new DeletePasskeyCommand(T, ADA, 'pk-ada', 'admin-1'));
    expect(world.passkeys).toEqual([]);
    expect(world.recorded).toEqual([
      expect.objectContaining({
        type: EventTypes.userPasskeyRemoved,
        data: { userId: ADA, passkeyId: 'pk-ada', actor: 'admin-1' },
      }),
    ]);
  });

  describe('passkeys: required-for-admins', () => {
    const REQUIRED = { passkeys: 'required-for-admins' };

    it('refuses an administrator removing their last passkey (409 passkey_required): it is their only way in', async () => {
      const world = setUp(REQUIRED, { [ADA]: ['users:read', 'users:write'] });
      expect(await errorCode(world.remove.execute(new DeletePasskeyCommand(T, ADA, 'pk-ada', ADA)))).toBe(
        PasskeyErrorCode.PasskeyRequired,
      );
      expect(world.passkeys.map((p) => p.id)).toEqual(['pk-ada']);
      expect(world.recorded).toEqual([]);
      // With a second one, either may go.
      await enrol(world);
      await world.remove.execute(new DeletePasskeyCommand(T, ADA, 'pk-ada', ADA));
      expect(world.passkeys.map((p) => p.name)).toEqual(['Phone']);
    });

    it('lets a user without a *:write permission, and anyone under another policy, remove their last passkey', async () => {
      const reader = setUp(REQUIRED, { [ADA]: ['users:read'] });
      await reader.remove.execute(new DeletePasskeyCommand(T, ADA, 'pk-ada', ADA));
      expect(reader.passkeys).toEqual([]);
      const allowed = setUp({ passkeys: 'allowed' }, { [ADA]: ['users:write'] });
      await allowed.remove.execute(new DeletePasskeyCommand(T, ADA, 'pk-ada', ADA));
      expect(allowed.passkeys).toEqual([]);
      // Nothing to decide outside the policy: permissions are not even looked up.
      expect(allowed.roles.effectiveAuthority).not.toHaveBeenCalled();
    });
  });
});
