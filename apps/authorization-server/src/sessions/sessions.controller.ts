import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse } from '@nestjs/swagger';
import { Authorize } from '@platform/resource-server';
import { ManagedTenant, ManagementApi, type TenantScope } from '../access/management-access';
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
  list(@ManagedTenant() scope: TenantScope, @Param('userId', ParseUUIDPipe) userId: string): Promise<SessionView[]> {
    return this.sessions.sessions({ scope }, userId);
  }

  @Delete('sessions')
  @HttpCode(204)
  @Authorize(WRITE)
  @ApiNoContentResponse({ description: 'Signs the user out everywhere: every session, grant and refresh token' })
  async endAll(@ManagedTenant() scope: TenantScope, @Param('userId', ParseUUIDPipe) userId: string): Promise<void> {
    await this.sessions.revokeAll({ scope }, userId);
  }

  @Delete('sessions/:sessionId')
  @HttpCode(204)
  @Authorize(WRITE)
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
  grants(@ManagedTenant() scope: TenantScope, @Param('userId', ParseUUIDPipe) userId: string): Promise<GrantView[]> {
    return this.sessions.grants({ scope }, userId);
  }

  @Delete('grants/:grantId')
  @HttpCode(204)
  @Authorize(WRITE)
  async revoke(
    @ManagedTenant() scope: TenantScope,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Param('grantId') grantId: string,
  ): Promise<void> {
    await this.sessions.revokeGrant({ scope }, userId, grantId);
  }
}
