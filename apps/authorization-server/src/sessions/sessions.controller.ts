import { Controller, Delete, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { Authorize } from '@platform/resource-server';
import { NoContentRoute, OkRoute } from '@platform/runtime';
import { ManagedTenant, ManagementApi, type TenantScope } from '../access/management-access';
import { ApiManagementErrors } from '../access/api-errors';
import { SessionError } from './session-errors';
import { SessionsService } from './sessions.service';
import { GrantView, SessionView } from './sessions.views';

/** Who may read and end sessions; trusted devices, sign-in state too, take the same rights. */
export const SESSIONS_READ = { scopes: ['authz.sessions.read'], permissions: ['users:read'] } as const;
export const SESSIONS_WRITE = { scopes: ['authz.sessions.write'], permissions: ['users:write'] } as const;

/** Administrators: any user's sessions, grants and refresh tokens (tenant administrators: their tenant's users). */
@ManagementApi('sessions')
@Controller('api/v1/users/:userId')
export class UserSessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get('sessions')
  @Authorize(SESSIONS_READ)
  @OkRoute("List a user's sessions", { type: [SessionView] })
  @ApiManagementErrors(SessionError, 'validation_failed', 'user_not_found')
  list(@ManagedTenant() scope: TenantScope, @Param('userId', ParseUUIDPipe) userId: string): Promise<SessionView[]> {
    return this.sessions.sessions({ scope }, userId);
  }

  @Delete('sessions')
  @Authorize(SESSIONS_WRITE)
  @NoContentRoute('Sign a user out everywhere', 'Signs the user out everywhere: every session, grant and refresh token')
  @ApiManagementErrors(SessionError, 'validation_failed', 'user_not_found')
  async endAll(@ManagedTenant() scope: TenantScope, @Param('userId', ParseUUIDPipe) userId: string): Promise<void> {
    await this.sessions.revokeAll({ scope }, userId);
  }

  @Delete('sessions/:sessionId')
  @Authorize(SESSIONS_WRITE)
  @NoContentRoute("End one of a user's sessions", 'Ended')
  @ApiManagementErrors(SessionError, 'validation_failed', 'user_not_found', 'session_not_found')
  async end(
    @ManagedTenant() scope: TenantScope,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Param('sessionId') sessionId: string,
  ): Promise<void> {
    await this.sessions.endSession({ scope }, userId, sessionId);
  }

  @Get('grants')
  @Authorize(SESSIONS_READ)
  @OkRoute("List a user's grants", { type: [GrantView] })
  @ApiManagementErrors(SessionError, 'validation_failed', 'user_not_found')
  grants(@ManagedTenant() scope: TenantScope, @Param('userId', ParseUUIDPipe) userId: string): Promise<GrantView[]> {
    return this.sessions.grants({ scope }, userId);
  }

  @Delete('grants/:grantId')
  @Authorize(SESSIONS_WRITE)
  @NoContentRoute("Revoke one of a user's grants", 'Revoked')
  @ApiManagementErrors(SessionError, 'validation_failed', 'user_not_found', 'grant_not_found')
  async revoke(
    @ManagedTenant() scope: TenantScope,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Param('grantId') grantId: string,
  ): Promise<void> {
    await this.sessions.revokeGrant({ scope }, userId, grantId);
  }
}
