import type { ExecutionContext } from '@nestjs/common';
import { SecurityEventTypes } from '@platform/contracts';
import { type Principal, principalFromClaims } from '@platform/resource-server';
import type { SecurityEvents } from '../events/security-events';
import { actorOf, NotWhileImpersonatedGuard } from './not-while-impersonated.guard';

// The bearer guard puts the principal on the request under a private symbol: here it is a plain field.
jest.mock('@platform/resource-server', () => ({
  ...jest.requireActual('@platform/resource-server'),
  principalOf: (req: { principal?: Principal }) => req.principal,
}));

describe('NotWhileImpersonatedGuard', () => {
  const setUp = (claims: Record<string, unknown>) => {
    const recorded: { type: string; data: Record<string, unknown> }[] = [];
    const guard = new NotWhileImpersonatedGuard({
      record: async (event: { type: string; data: Record<string, unknown> }) => void recorded.push(event),
    } as unknown as SecurityEvents);
    const req = { path: '/api/v1/me/external-identities/link', principal: principalFromClaims(claims) };
    const context = { switchToHttp: () => ({ getRequest: () => req }) } as unknown as ExecutionContext;
    return { guard, context, recorded };
  };
  const user = { sub: 'ada', client_id: 'account-console', tenant_id: 't-1' };

  it('reads act.sub, and nothing else', () => {
    expect(actorOf({ act: { sub: 'admin-1' } })).toBe('admin-1');
    expect(actorOf({ act: 'admin-1' })).toBeNull();
    expect(actorOf(undefined)).toBeNull();
  });

  it("lets the user's own token through", async () => {
    const { guard, context, recorded } = setUp(user);
    await expect(guard.canActivate(context)).resolves.toBe(true);
    expect(recorded).toEqual([]);
  });

  it('refuses an administrator acting as the user (403 impersonation_forbidden) and records it', async () => {
    const { guard, context, recorded } = setUp({ ...user, act: { sub: 'admin-1' } });
    await expect(guard.canActivate(context)).rejects.toMatchObject({ status: 403, code: 'impersonation_forbidden' });
    expect(recorded).toEqual([
      expect.objectContaining({
        type: SecurityEventTypes.impersonationActionRefused,
        data: { userId: 'ada', actor: 'admin-1', action: '/api/v1/me/external-identities/link' },
      }),
    ]);
  });
});
