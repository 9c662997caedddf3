import { IdentityErrorCode } from '../../common/identity-error';
import { EventTypes } from '../../events/identity-events';
import { aUser, errorCode, TENANT_ID, userCommandDeps } from './commands.spec-helper';
import { VerifyEmailCommand, VerifyEmailHandler } from './verify-email.command';

describe('VerifyEmailHandler', () => {
  const handlerOver = (...users: ReturnType<typeof aUser>[]) => {
    const deps = userCommandDeps(users);
    return { ...deps, handler: new VerifyEmailHandler(deps.dataSource, deps.users, deps.events) };
  };

  it('marks the address verified and announces it with the administrator as actor', async () => {
    const { handler, recorded } = handlerOver(aUser());
    await expect(handler.execute(new VerifyEmailCommand(TENANT_ID, 'u-1', 'admin-1'))).resolves.toMatchObject({
      emailVerified: true,
    });
    expect(recorded).toEqual([
      expect.objectContaining({
        type: EventTypes.userEmailVerified,
        data: { userId: 'u-1', actor: 'admin-1', method: 'admin' },
      }),
    ]);
  });

  it('changes nothing for an address already verified (idempotent)', async () => {
    const { handler, recorded, saved } = handlerOver(aUser({ emailVerified: true }));
    await handler.execute(new VerifyEmailCommand(TENANT_ID, 'u-1', 'admin-1'));
    expect(saved).toEqual([]);
    expect(recorded).toEqual([]);
  });

  it('does not find a deleted user, nor one of another tenant', async () => {
    const { handler } = handlerOver(aUser({ status: 'deleted' }), aUser({ id: 'u-2', tenantId: 'other-tenant' }));
    for (const userId of ['u-1', 'u-2']) {
      expect(await errorCode(handler.execute(new VerifyEmailCommand(TENANT_ID, userId, null)))).toBe(
        IdentityErrorCode.UserNotFound,
      );
    }
  });
});
