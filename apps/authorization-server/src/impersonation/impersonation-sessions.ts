import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type IdentityInternalClient,
  IdentityInternalError,
  type RedeemedImpersonation,
  SecurityEventTypes,
} from '@platform/contracts';
import { BoundedCache, Clock } from '@platform/runtime';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { SecurityEvents } from '../events/security-events';
import { IDENTITY_CLIENT } from '../tokens';
import type { ImpersonationSession } from './impersonation-session.entity';
import { ImpersonationSessionsRepository } from './impersonation-sessions.repository';

/** The start link's ticket, in the browser that opened it, until the administrator has signed in (5 minutes at most). */
export const START_COOKIE = 'impersonation_start';
const START_COOKIE_SECONDS = 300;
const TICKET = /^[A-Za-z0-9_-]{16,128}$/;

/** What a hosted sign-in finishes with when it starts an impersonation (the interaction result, plus ours). */
export type ImpersonationLogin = {
  login: { accountId: string; amr: string[]; acr: string; remember: false };
  impersonation: RedeemedImpersonation;
};

/** The `act` claim (RFC 8693 §4.1) of an impersonated session's tokens: the administrator, and their tenant's user. */
export interface ActClaim {
  act: { sub: string; tenant_id: string };
}

export type SessionImpersonation = 'ended' | ActClaim | null;

/**
 * Impersonation on the authorization server's side (issue 16). The identity backend decides and
 * audits (who may act as whom, the alert mail) and hands the administrator a one-time start link;
 * here the link becomes an ordinary OIDC session of the user, after the administrator has signed
 * in as themselves in that browser (the ticket alone signs nobody in). The session is remembered
 * by its uid, which every code and token of it carries: their tokens name the administrator in
 * `act`, get no refresh token, and are refused once the impersonation has run out.
 */
@Injectable()
export class ImpersonationSessions {
  private readonly logger = new Logger('Impersonation');
  /** Token issuance asks for every token of every session: most are none, so "none" is cached too. */
  private readonly cache = new BoundedCache<ImpersonationSession | null>({ max: 10_000, ttlMs: 60_000 });

  constructor(
    private readonly repository: ImpersonationSessionsRepository,
    @Inject(IDENTITY_CLIENT) private readonly identity: IdentityInternalClient,
    private readonly clock: Clock,
    private readonly security: SecurityEvents,
  ) {}

  static ticketOf(cookieHeader: string | undefined): string | null {
    for (const part of (cookieHeader ?? '').split(';')) {
      const [name, value] = part.trim().split('=');
      if (name === START_COOKIE && value && TICKET.test(value)) return value;
    }
    return null;
  }

  static startCookie(ticket: string | null, secure: boolean): string {
    const value = ticket ?? '';
    const age = ticket ? START_COOKIE_SECONDS : 0;
    return `${START_COOKIE}=${value}; Path=/; Max-Age=${age}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
  }

  static isTicket(value: unknown): value is string {
    return typeof value === 'string' && TICKET.test(value);
  }

  /**
   * After the administrator's own sign-in (password, second factor) in a browser holding a start
   * link: the login that makes the session the user's instead, or null (no link, or a link that is
   * used, expired or another administrator's: then they are simply signed in as themselves).
   */
  async takeOver(
    req: IncomingMessage,
    res: ServerResponse,
    account: { userId: string; amr: string[] },
    acr: string,
  ): Promise<ImpersonationLogin | null> {
    const ticket = ImpersonationSessions.ticketOf(req.headers.cookie);
    if (!ticket) return null;
    res.appendHeader('set-cookie', ImpersonationSessions.startCookie(null, isHttps(req)));
    try {
      const redeemed = await this.identity.redeemImpersonation({ ticket, actorId: account.userId });
      // The administrator's own authentication (amr, acr) is how the session was proven; transient: no "remember me".
      return { login: { accountId: redeemed.userId, amr: account.amr, acr, remember: false }, impersonation: redeemed };
    } catch (error) {
      if (!(error instanceof IdentityInternalError)) throw error;
      this.logger.warn(`impersonation link not redeemed (${error.failure}): signed in as the administrator`);
      return null;
    }
  }

  /**
   * oidc-provider middleware: once a resumed authorization has logged the session in with an
   * impersonation result, the session's uid is recorded (before the response with the code leaves).
   */
  middleware() {
    return async (ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> => {
      await next();
      const oidc = ctx.oidc as
        | (KoaContextWithOIDC['oidc'] & { result?: { login?: unknown; impersonation?: RedeemedImpersonation } })
        | undefined;
      const sessionUid = oidc?.route === 'resume' && oidc.result?.login ? oidc.session?.uid : undefined;
      if (!sessionUid) return;
      const redeemed = oidc?.result?.impersonation;
      if (!redeemed) {
        // A sign-in of one's own in a session that was an impersonation (the same account): it is no longer one.
        if ((await this.repository.deleteBySession(sessionUid)) > 0) this.cache.delete(sessionUid);
        return;
      }
      const row = {
        sessionUid,
        impersonationId: redeemed.id,
        tenantId: redeemed.tenantId,
        userId: redeemed.userId,
        actorId: redeemed.actorId,
        expiresAt: new Date(redeemed.expiresAt),
      };
      await this.repository.save(row);
      this.cache.delete(sessionUid);
      await this.security.record({
        type: SecurityEventTypes.impersonationSessionStarted,
        subject: redeemed.userId,
        tenantId: redeemed.tenantId,
        data: {
          userId: redeemed.userId,
          actor: redeemed.actorId,
          impersonationId: redeemed.id,
          expiresAt: redeemed.expiresAt,
        },
      });
    };
  }

  /** For a token (or code) of the session `sessionUid`: its `act` claim, 'ended' once it ran out, null for an ordinary session. */
  async ofSession(sessionUid: string | undefined): Promise<SessionImpersonation> {
    if (!sessionUid) return null;
    const row = await this.cache.get(sessionUid, () => this.repository.bySession(sessionUid));
    if (!row) return null;
    if (row.expiresAt.getTime() <= this.clock.now().getTime()) return 'ended';
    return { act: { sub: row.actorId, tenant_id: row.tenantId } };
  }

  pruneEnded(): Promise<number> {
    return this.repository.pruneBefore(new Date(this.clock.now().getTime() - 86_400_000));
  }
}

const isHttps = (req: IncomingMessage) =>
  (req.socket as { encrypted?: boolean }).encrypted === true || req.headers['x-forwarded-proto'] === 'https';
