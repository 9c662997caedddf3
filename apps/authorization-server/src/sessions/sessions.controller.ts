import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Authorize } from '@platform/resource-server';
import { ManagedTenant, ManagementApi, type TenantScope } from '../access/management-access';
import { ApiManagementErrors } from '../access/api-errors';
import { SessionError } from './session-errors';
import { SessionsService } from './sessions.service';
import { GrantView, SessionView } from './sessions.views';

const READ = { scopes: ['authz.sessions.read'], permissions: ['users:read'] } as const;
const WRITE = { scopes: ['authz.sessions.write'], permissions: ['users:write'] } as const;

/** Administrators: any user's sessions, grants and refresh tokens (tenant administrators: their tenant's users). */
@ManagementApi('sessions')
@Controller('api/v1/users/:userId')
export class UserSessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get('sessions')
  @Authorize(READ)
  @ApiOkResponse({ type: [SessionView] })
  @ApiOperation({ summary: "List a user's sessions" })
  @ApiManagementErrors(SessionError, 'validation_failed', 'user_not_found')
  list(@ManagedTenant() scope: TenantScope, @Param('userId', ParseUUIDPipe) userId: string): Promise<SessionView[]> {
    return this.sessions.sessions({ scope }, userId);
  }

  @Delete('sessions')
  @HttpCode(204)
  @Authorize(WRITE)
  @ApiNoContentResponse({ description: 'Signs the user out everywhere: every session, grant and refresh token' })
  @ApiOperation({ summary: 'Sign a user out everywhere' })
  @ApiManagementErrors(SessionError, 'validation_failed', 'user_not_found')
  async endAll(@ManagedTenant() scope: TenantScope, @Param('userId', ParseUUIDPipe) userId: string): Promise<void> {
    await this.sessions.revokeAll({ scope }, userId);
  }

  @Delete('sessions/:sessionId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Ended' })
  @Authorize(WRITE)
  @ApiOperation({ summary: "End one of a user's sessions" })
  @ApiManagementErrors(SessionError, 'validation_failed', 'user_not_found', 'session_not_found')
  async end(
    @ManagedTenant() scope: TenantScope,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Param('sessionId') sessionId: string,
  ): Promise<void> {
    await this.sessions.endSession({ scope }, userId, sessionId);
  }

  @Get('grants')
  @Authorize(READ)
  @ApiOkResponse({ type: [GrantView] })
  @ApiOperation({ summary: "List a user's grants" })
  @ApiManagementErrors(SessionError, 'validation_failed', 'user_not_found')
  grants(@ManagedTenant() scope: TenantScope, @Param('userId', ParseUUIDPipe) userId: string): Promise<GrantView[]> {
    return this.sessions.grants({ scope }, userId);
  }

  @Delete('grants/:grantId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked' })
  @Authorize(WRITE)
  @ApiOperation({ summary: "Revoke one of a user's grants" })
  @ApiManagementErrors(SessionError, 'validation_failed', 'user_not_found', 'grant_not_found')
  async revoke(
    @ManagedTenant() scope: TenantScope,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Param('grantId') grantId: string,
  ): Promise<void> {
    await this.sessions.revokeGrant({ scope }, userId, grantId);
  }
}
