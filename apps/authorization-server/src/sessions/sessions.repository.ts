import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { affectedRows } from '@platform/database';
import { DataSource } from 'typeorm';
import { revokeUserAccess } from '../events/user-lifecycle.consumer';

export interface SessionRecord {
  /** The session's public id (oidc-provider's uid; never the cookie value). */
  id: string;
  signedInAt: Date | null;
  expiresAt: Date | null;
  amr: string[];
  /** Clients signed in through this session, with their grants. */
  clients: { clientId: string; grantId: string | null }[];
}

export interface GrantRecord {
  id: string;
  clientId: string;
  /** OpenID scopes, and the scopes per resource server (audience). */
  scope: string;
  resources: Record<string, string>;
  createdAt: Date | null;
  expiresAt: Date | null;
}

const LIVE = `(expires_at IS NULL OR expires_at > now())`;

/** An oidc_model_instances row as read here: `id` is the model's own, `uid` a Session's public id. */
interface ModelRow<Payload> {
  id: string;
  uid: string;
  payload: Payload;
  expires_at: Date | null;
}

/** The parts of oidc-provider's Session and Grant payloads read here. */
interface SessionPayload {
  loginTs?: number;
  amr?: string[];
  authorizations?: Record<string, { grantId?: string }>;
}
interface GrantPayload {
  clientId: string;
  iat?: number;
  openid?: { scope?: string };
  resources?: Record<string, unknown>;
}
const epoch = (seconds: unknown) => (typeof seconds === 'number' ? new Date(seconds * 1000) : null);

/**
 * Sessions and grants as oidc-provider stores them (one JSONB row each), read and ended on
 * behalf of their account. Every statement is bound to the account id: nobody reaches
 * another account's rows by guessing an id.
 */
@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async sessions(accountId: string): Promise<SessionRecord[]> {
    const rows = await this.liveRows<SessionPayload>('Session', accountId);
    return rows.map(({ uid, payload, expires_at }) => ({
      id: uid,
      signedInAt: epoch(payload.loginTs),
      expiresAt: expires_at,
      amr: Array.isArray(payload.amr) ? payload.amr : [],
      clients: Object.entries((payload.authorizations ?? {}) as Record<string, { grantId?: string }>).map(
        ([clientId, authorization]) => ({ clientId, grantId: authorization.grantId ?? null }),
      ),
    }));
  }

  async grants(accountId: string): Promise<GrantRecord[]> {
    const rows = await this.liveRows<GrantPayload>('Grant', accountId);
    return rows.map(({ id, payload, expires_at }) => ({
      id,
      clientId: payload.clientId,
      scope: payload.openid?.scope ?? '',
      resources: Object.fromEntries(
        Object.entries((payload.resources ?? {}) as Record<string, unknown>).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        ),
      ),
      createdAt: epoch(payload.iat),
      expiresAt: expires_at,
    }));
  }

  /** Ends one session and revokes the grants (with their tokens) given through it. False if not this account's. */
  async endSession(accountId: string, sessionId: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      // A raw DELETE answers [rows, count].
      const [[row]] = await manager.query(
        `DELETE FROM oidc_model_instances WHERE model = 'Session' AND uid = $1 AND payload->>'accountId' = $2
         RETURNING payload`,
        [sessionId, accountId],
      );
      if (!row) return false;
      const grantIds = Object.values((row.payload.authorizations ?? {}) as Record<string, { grantId?: string }>)
        .map((a) => a.grantId)
        .filter((id): id is string => typeof id === 'string');
      if (grantIds.length) {
        await manager.query(
          `DELETE FROM oidc_model_instances WHERE (model = 'Grant' AND id = ANY($1)) OR grant_id = ANY($1)`,
          [grantIds],
        );
      }
      return true;
    });
  }

  /** Revokes a grant (consent) with every code and token issued under it. False if not this account's. */
  async revokeGrant(accountId: string, grantId: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const owned = await manager.query(
        `DELETE FROM oidc_model_instances WHERE model = 'Grant' AND id = $1 AND payload->>'accountId' = $2`,
        [grantId, accountId],
      );
      if (affectedRows(owned) === 0) return false;
      await manager.query(`DELETE FROM oidc_model_instances WHERE grant_id = $1`, [grantId]);
      return true;
    });
  }

  /** The account's unexpired rows of one oidc-provider model, by id. */
  private liveRows<Payload>(model: 'Session' | 'Grant', accountId: string): Promise<ModelRow<Payload>[]> {
    return this.dataSource.query(
      `SELECT id, uid, payload, expires_at FROM oidc_model_instances
        WHERE model = $1 AND payload->>'accountId' = $2 AND ${LIVE} ORDER BY id`,
      [model, accountId],
    );
  }

  /** Every session, grant, code and token of the account. */
  revokeAll(accountId: string): Promise<number> {
    return revokeUserAccess(this.dataSource.manager, accountId);
  }
}
