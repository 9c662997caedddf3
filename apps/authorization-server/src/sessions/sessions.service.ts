import { Inject, Injectable } from '@nestjs/common';
import type { IdentityInternalClient } from '@platform/contracts';
import { ALL_TENANTS, type TenantScope } from '../access/management-access';
import { IDENTITY_CLIENT } from '../tokens';
import { SessionError } from './session-errors';
import { type GrantRecord, type SessionRecord, SessionsRepository } from './sessions.repository';

const OPAQUE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Whose sessions a request reaches: the signed-in user's own (/me), or the users of a TenantScope (administrators). */
export type SessionAccess = { readonly ownerId: string } | { readonly scope: TenantScope };

/** Who may see and end whose sessions: users their own; administrators their tenant's users (platform admins anyone's). */
@Injectable()
export class SessionsService {
  constructor(
    private readonly repository: SessionsRepository,
    @Inject(IDENTITY_CLIENT) private readonly identity: IdentityInternalClient,
  ) {}

  async sessions(access: SessionAccess, userId: string): Promise<SessionRecord[]> {
    await this.assertManageable(access, userId);
    return this.repository.sessions(userId);
  }

  async grants(access: SessionAccess, userId: string): Promise<GrantRecord[]> {
    await this.assertManageable(access, userId);
    return this.repository.grants(userId);
  }

  async endSession(access: SessionAccess, userId: string, sessionId: string): Promise<void> {
    await this.assertManageable(access, userId);
    if (!OPAQUE_ID.test(sessionId) || !(await this.repository.endSession(userId, sessionId))) {
      throw new SessionError('session_not_found', 'Session not found');
    }
  }

  async revokeGrant(access: SessionAccess, userId: string, grantId: string): Promise<void> {
    await this.assertManageable(access, userId);
    if (!OPAQUE_ID.test(grantId) || !(await this.repository.revokeGrant(userId, grantId))) {
      throw new SessionError('grant_not_found', 'Grant not found');
    }
  }

  /** Signs the user out everywhere: every session, grant, code and refresh token. */
  async revokeAll(access: SessionAccess, userId: string): Promise<number> {
    await this.assertManageable(access, userId);
    return this.repository.revokeAll(userId);
  }

  /**
   * A user manages their own; platform administrators (naming no tenant) anyone's; everyone else
   * only users of the tenant in scope (404 otherwise, like a user who does not exist).
   */
  private async assertManageable(access: SessionAccess, userId: string): Promise<void> {
    if ('ownerId' in access) {
      if (access.ownerId === userId) return;
    } else {
      const { scope } = access;
      if (scope === ALL_TENANTS) return;
      const tenantId = await this.identity
        .userClaims(userId, ['openid'])
        .then((claims) => claims.tenant_id)
        .catch(() => null);
      if (tenantId === scope) return;
    }
    throw new SessionError('user_not_found', 'User not found');
  }
}
