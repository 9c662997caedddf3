import { Inject, Injectable } from '@nestjs/common';
import type { IdentityInternalClient } from '@platform/contracts';
import type { Principal } from '@platform/resource-server';
import { ApiError } from '@platform/runtime';
import { IDENTITY_CLIENT } from '../tokens';
import { type GrantRecord, type SessionRecord, SessionsRepository } from './sessions.repository';

const OPAQUE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Who may see and end whose sessions: users their own; administrators their tenant's users (platform admins anyone's). */
@Injectable()
export class SessionsService {
  constructor(
    private readonly repository: SessionsRepository,
    @Inject(IDENTITY_CLIENT) private readonly identity: IdentityInternalClient,
  ) {}

  async sessions(principal: Principal, userId: string): Promise<SessionRecord[]> {
    await this.assertManageable(principal, userId);
    return this.repository.sessions(userId);
  }

  async grants(principal: Principal, userId: string): Promise<GrantRecord[]> {
    await this.assertManageable(principal, userId);
    return this.repository.grants(userId);
  }

  async endSession(principal: Principal, userId: string, sessionId: string): Promise<void> {
    await this.assertManageable(principal, userId);
    if (!OPAQUE_ID.test(sessionId) || !(await this.repository.endSession(userId, sessionId))) {
      throw new ApiError(404, 'session_not_found', 'Session not found');
    }
  }

  async revokeGrant(principal: Principal, userId: string, grantId: string): Promise<void> {
    await this.assertManageable(principal, userId);
    if (!OPAQUE_ID.test(grantId) || !(await this.repository.revokeGrant(userId, grantId))) {
      throw new ApiError(404, 'grant_not_found', 'Grant not found');
    }
  }

  /** Signs the user out everywhere: every session, grant, code and refresh token. */
  async revokeAll(principal: Principal, userId: string): Promise<number> {
    await this.assertManageable(principal, userId);
    return this.repository.revokeAll(userId);
  }

  /**
   * A user manages their own; platform operators (platform admins, and service clients bound to no
   * tenant, such as admin-cli) anyone's; everyone else only users of their own tenant (404 otherwise).
   */
  private async assertManageable(principal: Principal, userId: string): Promise<void> {
    if (principal.kind === 'user' && principal.subject === userId) return;
    if (principal.isPlatformAdmin || (principal.kind === 'client' && !principal.tenantId)) return;
    const tenantId = principal.tenantId
      ? await this.identity
          .userClaims(userId, ['openid'])
          .then((claims) => claims.tenant_id)
          .catch(() => null)
      : null;
    if (!tenantId || tenantId !== principal.tenantId) throw new ApiError(404, 'user_not_found', 'User not found');
  }
}
