import { FakeIdentityInternalClient, SecurityEventTypes } from '@platform/contracts';
import { ManualClock } from '@platform/runtime';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { SecurityEvents } from '../events/security-events';
import type { ImpersonationSession } from './impersonation-session.entity';
import { ImpersonationSessions, START_COOKIE } from './impersonation-sessions';
import type { ImpersonationSessionsRepository } from './impersonation-sessions.repository';
import { impersonationTokens } from './impersonation-tokens';
import { GRANT_ERRORS } from '../oidc/grants/grants.spec-helper';

const NOW = new Date('2026-12-01T10:00:00Z');
const TICKET = 'a'.repeat(43);

function setUp() {
  const clock = new ManualClock(NOW);
  const rows = new Map<string, ImpersonationSession>();
  const repository = {
    save: async (row: ImpersonationSession) => void rows.set(row.sessionUid, row),
    bySession: async (uid: string) => rows.get(uid) ?? null,
    deleteBySession: async (uid: string) => (rows.delete(uid) ? 1 : 0),
  } as unknown as ImpersonationSessionsRepository;
  const identity = new FakeIdentityInternalClient();
  identity.impersonationTickets.set(TICKET, {
    id: 'imp-1',
    tenantId: 't-1',
    userId: 'ada',
    actorId: 'admin-1',
    expiresAt: new Date(NOW.getTime() + 30 * 60_000).toISOString(),
  });
  const recorded: unknown[] = [];
  const security = { record: async (event: unknown) => void recorded.push(event) } as unknown as SecurityEvents;
  const sessions = new ImpersonationSessions(repository, identity, clock, security);
  const request = (cookie?: string) =>
    ({ headers: cookie ? { cookie } : {}, socket: {} }) as unknown as IncomingMessage;
  const response = () => {
    const headers: string[] = [];
    return { headers, res: { appendHeader: (_n: string, v: string) => headers.push(v) } as unknown as ServerResponse };
  };
  return { clock, rows, identity, sessions, request, response, recorded };
}

describe('ImpersonationSessions', () => {
  it('reads the start cookie, and only a well-formed ticket', () => {
    expect(ImpersonationSessions.ticketOf(`other=1; ${START_COOKIE}=${TICKET}`)).toBe(TICKET);
    expect(ImpersonationSessions.ticketOf(`${START_COOKIE}=short`)).toBeNull();
    expect(ImpersonationSessions.ticketOf(undefined)).toBeNull();
    expect(ImpersonationSessions.startCookie(TICKET, true)).toBe(
      `${START_COOKIE}=${TICKET}; Path=/; Max-Age=300; HttpOnly; SameSite=Lax; Secure`,
    );
    expect(ImpersonationSessions.startCookie(null, false)).toContain('Max-Age=0');
  });

  it("after the administrator's own sign-in, makes the session the user's (their amr and acr), once, clearing the cookie", async () => {
    const { sessions, request, response } = setUp();
    const first = response();
    const admin = { userId: 'admin-1', amr: ['pwd', 'otp', 'mfa'] };
    await expect(sessions.takeOver(request(`${START_COOKIE}=${TICKET}`), first.res, admin, 'mfa')).resolves.toEqual({
      login: { accountId: 'ada', amr: ['pwd', 'otp', 'mfa'], acr: 'mfa', remember: false },
      impersonation: expect.objectContaining({ id: 'imp-1', userId: 'ada', actorId: 'admin-1' }),
    });
    expect(first.headers[0]).toContain('Max-Age=0');
    // Used: the next sign-in with the same link is the administrator's own.
    await expect(
      sessions.takeOver(request(`${START_COOKIE}=${TICKET}`), response().res, admin, 'mfa'),
    ).resolves.toBeNull();
    await expect(sessions.takeOver(request(), response().res, admin, 'mfa')).resolves.toBeNull();
  });

  it('does not take over for someone else than the administrator who made the link', async () => {
    const { sessions, request, response, identity } = setUp();
    const grace = { userId: 'grace', amr: ['pwd'] };
    await expect(
      sessions.takeOver(request(`${START_COOKIE}=${TICKET}`), response().res, grace, 'pwd'),
    ).resolves.toBeNull();
    expect(identity.impersonationTickets.has(TICKET)).toBe(true);
  });

  it("records the resumed session's uid, then its tokens get act, no refresh, and nothing after the end", async () => {
    const { sessions, clock, recorded } = setUp();
    const redeemed = {
      id: 'imp-1',
      tenantId: 't-1',
      userId: 'ada',
      actorId: 'admin-1',
      expiresAt: new Date(NOW.getTime() + 60_000).toISOString(),
    };
    const tokens = impersonationTokens(sessions, GRANT_ERRORS);
    // A token of the session asked before the record: nothing (and that answer must not stick).
    await expect(tokens.claims('session-1')).resolves.toEqual({});
    const ctx = {
      oidc: {
        route: 'resume',
        result: { login: { accountId: 'ada' }, impersonation: redeemed },
        session: { uid: 'session-1' },
      },
    };
    await sessions.middleware()(ctx as unknown as KoaContextWithOIDC, async () => undefined);
    expect(recorded).toEqual([
      expect.objectContaining({ type: SecurityEventTypes.impersonationSessionStarted, subject: 'ada' }),
    ]);
    await expect(tokens.claims('session-1')).resolves.toEqual({ act: { sub: 'admin-1', tenant_id: 't-1' } });
    await expect(tokens.allowsRefresh('session-1')).resolves.toBe(false);
    await expect(tokens.allowsRefresh('another-session')).resolves.toBe(true);
    await expect(tokens.allowsRefresh(undefined)).resolves.toBe(true);
    clock.advance(60_000);
    await expect(tokens.claims('session-1')).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(tokens.allowsRefresh('session-1')).resolves.toBe(false);
    // The user signing in themselves in that session (same account, same session): no longer an impersonation.
    const own = { oidc: { route: 'resume', result: { login: { accountId: 'ada' } }, session: { uid: 'session-1' } } };
    await sessions.middleware()(own as unknown as KoaContextWithOIDC, async () => undefined);
    await expect(tokens.claims('session-1')).resolves.toEqual({});
  });

  it('ignores other routes and resumes without an impersonation', async () => {
    const { sessions, rows } = setUp();
    const other = {
      oidc: { route: 'authorization', result: { login: {}, impersonation: {} }, session: { uid: 's' } },
    };
    await sessions.middleware()(other as unknown as KoaContextWithOIDC, async () => undefined);
    const plain = { oidc: { route: 'resume', result: { login: {} }, session: { uid: 's' } } };
    await sessions.middleware()(plain as unknown as KoaContextWithOIDC, async () => undefined);
    expect(rows.size).toBe(0);
  });
});
