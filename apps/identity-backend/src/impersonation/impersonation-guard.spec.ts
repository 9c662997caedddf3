import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { type Principal, principalFromClaims } from '@platform/resource-server';
import { currentRequestContext } from '../common/request-context';
import { aUser, TENANT_ID, userCommandDeps } from '../users/commands/commands.spec-helper';
import { actorOf, NotWhileImpersonatedGuard } from './impersonation-guard';

// The bearer guard keeps the principal under a private symbol: here it is a plain field.
jest.mock('@platform/resource-server', () => ({
  ...jest.requireActual('@platform/resource-server'),
  principalOf: (req: { principal?: Principal }) => req.principal,
}));

describe('NotWhileImpersonatedGuard', () => {
  const setUp = (claims: Record<string, unknown>) => {
    const deps = userCommandDeps([aUser()]);
    const actors: (string | null | undefined)[] = [];
    const events = {
      record: async (...args: Parameters<typeof deps.events.record>) => {
        actors.push(currentRequestContext()?.actor);
        return deps.events.record(...args);
      },
    };
    const reflector = { get: () => 'password change' } as unknown as Reflector;
    const guard = new NotWhileImpersonatedGuard(reflector, deps.dataSource, events);
    const req = { principal: principalFromClaims(claims), ip: '203.0.113.9' };
    const context = {
      switchToHttp: () => ({ getRequest: () => req }),
      getHandler: () => undefined,
    } as unknown as ExecutionContext;
    return { guard, context, recorded: deps.recorded, actors };
  };
  const ada = { sub: 'u-1', client_id: 'account-console', tenant_id: TENANT_ID };

  it('reads act.sub only', () => {
    expect(actorOf(principalFromClaims({ ...ada, act: { sub: 'admin-1' } }))).toBe('admin-1');
    expect(actorOf(principalFromClaims({ ...ada, act: 'admin-1' }))).toBeNull();
    expect(actorOf(undefined)).toBeNull();
  });

  it("lets the user's own session through", async () => {
    const { guard, context, recorded } = setUp(ada);
    await expect(guard.canActivate(context)).resolves.toBe(true);
    expect(recorded).toEqual([]);
  });

  it('refuses an administrator acting as the user: 403 impersonation_forbidden, recorded with the administrator as actor', async () => {
    const { guard, context, recorded, actors } = setUp({ ...ada, act: { sub: 'admin-1' } });
    await expect(guard.canActivate(context)).rejects.toMatchObject({ status: 403, code: 'impersonation_forbidden' });
    expect(recorded).toEqual([
      expect.objectContaining({
        type: 'identity.user.impersonation_action_refused.v1',
        aggregateId: 'u-1',
        data: { userId: 'u-1', actor: 'admin-1', action: 'password change' },
      }),
    ]);
    expect(actors).toEqual(['admin-1']);
  });
});
