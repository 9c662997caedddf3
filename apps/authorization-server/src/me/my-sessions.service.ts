import { Injectable } from '@nestjs/common';
import type { Principal } from '@platform/resource-server';
import { ApiError } from '@platform/runtime';
import { SessionError } from '../sessions/session-errors';
import { SessionsService } from '../sessions/sessions.service';
import { FIRST_PARTY_APPS } from '../web-apps/first-party-clients';
import { ClientNamesRepository } from './my-sessions.repository';
import type { MyGrantView, MySessionView } from './my-sessions.views';

const FIRST_PARTY = new Set(FIRST_PARTY_APPS.map((app) => app.clientId));

/**
 * The signed-in user's own sessions and grants, on top of the sessions service: which session is
 * this browser's (the token's `sid`, the session it was issued in), signing out everywhere else,
 * and the apps' names.
 */
@Injectable()
export class MySessionsService {
  constructor(
    private readonly sessions: SessionsService,
    private readonly clientNames: ClientNamesRepository,
  ) {}

  async list(me: Principal): Promise<MySessionView[]> {
    const current = currentSessionOf(me);
    const sessions = await this.sessions.sessions({ ownerId: me.subject }, me.subject);
    return sessions.map((session) => ({ ...session, current: session.id === current }));
  }

  end(me: Principal, sessionId: string): Promise<void> {
    return this.sessions.endSession({ ownerId: me.subject }, me.subject, sessionId);
  }

  /** Every session but the caller's: a token that names no session cannot tell which to keep. */
  async endOthers(me: Principal): Promise<number> {
    const current = currentSessionOf(me);
    if (!current) {
      throw new SessionError(
        'current_session_unknown',
        'This token was not issued in a browser session: sign out sessions one by one',
      );
    }
    let ended = 0;
    for (const session of await this.sessions.sessions({ ownerId: me.subject }, me.subject)) {
      if (session.id === current) continue;
      // A session another request ended meanwhile is not an error here.
      await this.sessions.endSession({ ownerId: me.subject }, me.subject, session.id).then(
        () => ended++,
        (error: unknown) => {
          if (!(error instanceof ApiError && error.status === 404)) throw error;
        },
      );
    }
    return ended;
  }

  async grants(me: Principal): Promise<MyGrantView[]> {
    const grants = await this.sessions.grants({ ownerId: me.subject }, me.subject);
    const names = await this.clientNames.namesOf(grants.map((g) => g.clientId));
    return grants.map((grant) => ({
      ...grant,
      clientName: names.get(grant.clientId) ?? grant.clientId,
      firstParty: FIRST_PARTY.has(grant.clientId),
    }));
  }

  revoke(me: Principal, grantId: string): Promise<void> {
    return this.sessions.revokeGrant({ ownerId: me.subject }, me.subject, grantId);
  }
}

/** The session (its public id) the token was issued in; tokens from refresh keep it. */
function currentSessionOf(me: Principal): string | null {
  return typeof me.claims.sid === 'string' ? me.claims.sid : null;
}
