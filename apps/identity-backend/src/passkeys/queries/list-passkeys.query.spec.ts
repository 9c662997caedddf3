import { ADA, BOB, passkeyWorld, T } from '../commands/passkeys.spec-helper';
import { ListPasskeysHandler, ListPasskeysQuery } from './list-passkeys.query';

describe('ListPasskeysHandler', () => {
  it("lists the user's passkeys by name and dates only, never their key material", async () => {
    const world = passkeyWorld();
    world.passkeys.push({ ...world.passkeys[0]!, id: 'pk-sync', credentialId: 'cred-2', deviceType: 'multiDevice' });
    const handler = new ListPasskeysHandler(world.repository);
    const listed = await handler.execute(new ListPasskeysQuery(T, ADA));
    expect(listed).toEqual([
      {
        id: 'pk-ada',
        name: 'Laptop',
        createdAt: world.passkeys[0]!.createdAt,
        lastUsedAt: null,
        synced: false,
        aaguid: world.passkeys[0]!.aaguid,
      },
      expect.objectContaining({ id: 'pk-sync', synced: true }),
    ]);
    expect(JSON.stringify(listed)).not.toMatch(/cred-|publicKey|signCount/);
  });

  it("lists nothing of another user's or of the user in another tenant", async () => {
    const handler = new ListPasskeysHandler(passkeyWorld().repository);
    await expect(handler.execute(new ListPasskeysQuery(T, BOB))).resolves.toEqual([]);
    await expect(handler.execute(new ListPasskeysQuery('tenant-b', ADA))).resolves.toEqual([]);
  });
});
