import { ManualClock } from '@platform/runtime';
import { IdentityErrorCode } from '../../common/identity-error';
import { EventTypes } from '../../events/identity-events';
import type { User } from '../user.entity';
import { ChangeUserStatusCommand, ChangeUserStatusHandler } from './change-user-status.command';
import { aUser, errorCode, TENANT_ID, userCommandDeps } from './commands.spec-helper';

describe('ChangeUserStatusHandler', () => {
  const NOW = Date.parse('2026-12-01T12:00:00Z');
  const handlerOver = (...users: User[]) => {
    const deps = userCommandDeps(users);
    const clock = new ManualClock(NOW);
    return { ...deps, clock, handler: new ChangeUserStatusHandler(deps.dataSource, deps.users, deps.events, clock) };
  };
  const change = (action: ChangeUserStatusCommand['action'], reason: string | null = 'ticket 42') =>
    new ChangeUserStatusCommand(TENANT_ID, 'u-1', action, reason, 'admin-1');

  it('moves along the lifecycle, recording the reason and announcing each step', async () => {
    const { handler, recorded } = handlerOver(aUser());
    await expect(handler.execute(change('lock'))).resolves.toMatchObject({
      status: 'locked',
      statusReason: 'ticket 42',
    });
    await expect(handler.execute(change('disable'))).resolves.toMatchObject({ status: 'disabled' });
    await expect(handler.execute(change('enable'))).resolves.toMatchObject({ status: 'active' });
    expect(recorded.map((e) => e.type)).toEqual([
      EventTypes.userLocked,
      EventTypes.userDisabled,
      EventTypes.userEnabled,
    ]);
    expect(recorded[0]!.data).toEqual({ userId: 'u-1', reason: 'ticket 42', actor: 'admin-1' });
  });

  it('refuses a step the current status does not allow, naming the status', async () => {
    const { handler, recorded } = handlerOver(aUser({ status: 'disabled' }));
    await expect(handler.execute(change('lock'))).rejects.toMatchObject({
      code: IdentityErrorCode.InvalidStatusTransition,
      details: { status: 'disabled' },
    });
    expect(recorded).toEqual([]);
  });

  it('soft-deletes at the time of the clock, after which the user is not found', async () => {
    const { handler } = handlerOver(aUser());
    await expect(handler.execute(change('delete'))).resolves.toMatchObject({
      status: 'deleted',
      deletedAt: new Date(NOW),
    });
    expect(await errorCode(handler.execute(change('enable')))).toBe(IdentityErrorCode.UserNotFound);
  });

  it('unlocks an administrator lock and resets the failed sign-in counters', async () => {
    const { handler } = handlerOver(aUser({ status: 'locked', failedLoginCount: 4, lockCount: 2 }));
    await expect(handler.execute(change('unlock'))).resolves.toMatchObject({
      status: 'active',
      lockedUntil: null,
      failedLoginCount: 0,
      lockCount: 0,
    });
  });

  it('lifts a lock that failed sign-ins imposed while it lasts; once it has run out there is nothing to unlock', async () => {
    const lockedUntil = new Date(NOW + 60_000);
    const { handler, recorded, clock } = handlerOver(aUser({ lockedUntil, failedLoginCount: 5, lockCount: 1 }));
    await expect(handler.execute(change('unlock'))).resolves.toMatchObject({
      status: 'active',
      lockedUntil: null,
      failedLoginCount: 0,
    });
    expect(recorded.map((e) => e.type)).toEqual([EventTypes.userUnlocked]);

    const expired = handlerOver(aUser({ lockedUntil, failedLoginCount: 5 }));
    expired.clock.set(NOW + 60_001);
    expect(await errorCode(expired.handler.execute(change('unlock')))).toBe(IdentityErrorCode.InvalidStatusTransition);
    expect(clock.nowMs()).toBe(NOW);
  });
});
