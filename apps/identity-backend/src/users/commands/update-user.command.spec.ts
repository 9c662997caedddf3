import { IdentityErrorCode } from '../../common/identity-error';
import { EventTypes } from '../../events/identity-events';
import { aUser, errorCode, TENANT_ID, thrownCode, userCommandDeps } from './commands.spec-helper';
import { UpdateUserCommand, UpdateUserHandler } from './update-user.command';

describe('UpdateUserHandler', () => {
  const handlerOver = (...users: ReturnType<typeof aUser>[]) => {
    const deps = userCommandDeps(users);
    return { ...deps, handler: new UpdateUserHandler(deps.dataSource, deps.users, deps.events) };
  };

  it('replaces the profile and announces which part changed', async () => {
    const { handler, recorded } = handlerOver(aUser({ profile: { name: 'Ada', locale: 'en' } }));
    const updated = await handler.execute(new UpdateUserCommand(TENANT_ID, 'u-1', { profile: { name: 'Ada L.' } }));
    expect(updated.profile).toEqual({ name: 'Ada L.' });
    expect(recorded).toEqual([
      expect.objectContaining({ type: EventTypes.userUpdated, data: { userId: 'u-1', changed: ['profile'] } }),
    ]);
  });

  it('replaces the attributes, refusing more than the size limit before any write', async () => {
    const { handler, transactions } = handlerOver(aUser());
    await expect(
      handler.execute(new UpdateUserCommand(TENANT_ID, 'u-1', { attributes: { plan: 'pro' } })),
    ).resolves.toMatchObject({ attributes: { plan: 'pro' } });
    const huge = { blob: 'x'.repeat(17 * 1024) };
    expect(await thrownCode(() => handler.execute(new UpdateUserCommand(TENANT_ID, 'u-1', { attributes: huge })))).toBe(
      IdentityErrorCode.AttributesTooLarge,
    );
    expect(transactions).toHaveLength(1);
  });

  it('refuses invisible characters in a profile name', async () => {
    const { handler } = handlerOver(aUser());
    expect(
      await thrownCode(() =>
        handler.execute(new UpdateUserCommand(TENANT_ID, 'u-1', { profile: { name: 'Ada\u202e' } })),
      ),
    ).toBe(IdentityErrorCode.InvalidCharacters);
  });

  it('does not find a deleted user', async () => {
    const { handler } = handlerOver(aUser({ status: 'deleted' }));
    expect(await errorCode(handler.execute(new UpdateUserCommand(TENANT_ID, 'u-1', { profile: {} })))).toBe(
      IdentityErrorCode.UserNotFound,
    );
  });
});
