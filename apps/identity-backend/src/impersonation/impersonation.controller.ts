import { Body, Controller, Delete, Get, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal, type Principal, ScopedTenant } from '@platform/resource-server';
import { Clock, CreatedRoute, NoContentRoute, OkRoute } from '@platform/runtime';
import { Access } from '../common/access';
import { TENANT_ID_QUERY } from '../common/tenant-scoped-api';
import { IDENTITY_CONFIG } from '../common/tokens';
import type { IdentityBackendConfig } from '../config';
import { TenantsRepository } from '../tenants/tenants.repository';
import {
  EndImpersonationCommand,
  RedeemImpersonationCommand,
  StartImpersonationCommand,
} from './commands/impersonation.commands';
import {
  MyImpersonationView,
  RedeemedImpersonationView,
  RedeemImpersonationDto,
  StartedImpersonationView,
  StartImpersonationDto,
} from './impersonation.dto';
import { ApiImpersonationErrors, ImpersonationError, ImpersonationErrorCode as E } from './impersonation-errors';
import { actorOf } from './impersonation-guard';
import { ImpersonationsRepository } from './impersonations.repository';

/** Its own permission, never implied by users:write; users only (a client has no browser to act in). */
const IMPERSONATE = Access.usersImpersonate;
const SIGNED_IN = { signedInUser: true } as const;
/** Where the authorization server redeems start links (its impersonation/ module). */
export const IMPERSONATION_START_PATH = 'impersonation/start';

@ApiTags('users')
@ApiBearerAuth()
@Controller()
export class ImpersonationController {
  constructor(
    private readonly commands: CommandBus,
    private readonly repository: ImpersonationsRepository,
    private readonly clock: Clock,
    private readonly tenants: TenantsRepository,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityBackendConfig,
  ) {}

  @Post('api/v1/users/:id/impersonations')
  @Authorize(IMPERSONATE)
  @CreatedRoute('Act as a user of the tenant for a while (reason required): the user is mailed, every step audited', {
    type: StartedImpersonationView,
  })
  @ApiImpersonationErrors(E.UserNotFound, E.UpwardRefused, E.NotAllowed, E.UserInactive)
  // @ScopedTenant reads it: an operator names the user's tenant (the admin console does).
  @ApiQuery(TENANT_ID_QUERY)
  async start(
    @Param('id', ParseUUIDPipe) id: string,
    @ScopedTenant() tenantId: string,
    @Body() dto: StartImpersonationDto,
    @CurrentPrincipal() me: Principal,
  ): Promise<StartedImpersonationView> {
    if (me.kind !== 'user' || !me.tenantId) throw new ImpersonationError(E.NotAllowed, 'Only people impersonate');
    const started = await this.commands.execute(
      new StartImpersonationCommand(
        tenantId,
        id,
        { userId: me.subject, tenantId: me.tenantId, impersonating: actorOf(me) !== null },
        dto.reason.trim(),
        dto.durationMinutes,
      ),
    );
    const startUrl = new URL(IMPERSONATION_START_PATH, withSlash(this.config.TOKEN_ISSUER));
    startUrl.searchParams.set('ticket', started.ticket);
    // The administrator signs in to their own organisation (an operator's is not the user's).
    const own = await this.tenants.findById(me.tenantId);
    if (own) startUrl.searchParams.set('tenant', own.slug);
    return {
      id: started.id,
      startUrl: startUrl.href,
      expiresAt: started.expiresAt.toISOString(),
      startUrlExpiresAt: started.ticketExpiresAt.toISOString(),
    };
  }

  @Get('api/v1/me/impersonation')
  @Authorize(SIGNED_IN)
  @OkRoute('Who is acting on my behalf in this session (the account console’s banner)', { type: MyImpersonationView })
  @ApiImpersonationErrors(E.NotFound)
  async mine(@CurrentPrincipal() me: Principal): Promise<MyImpersonationView> {
    const actorId = actorOf(me);
    const row = actorId && (await this.repository.open(me.tenantId!, me.subject, actorId, this.clock.now()));
    if (!row) throw new ImpersonationError(E.NotFound, 'Nobody acts on your behalf in this session');
    const actor = await this.repository.actorOf(row);
    return {
      id: row.id,
      actorId: row.actorId,
      actorName: actor ? (actor.profile?.name ?? actor.email) : row.actorId,
      reason: row.reason,
      expiresAt: row.expiresAt.toISOString(),
    };
  }

  @Delete('api/v1/me/impersonation')
  @Authorize(SIGNED_IN)
  @NoContentRoute('End the impersonation this session is (then sign out)')
  @ApiImpersonationErrors(E.NotFound)
  async end(@CurrentPrincipal() me: Principal): Promise<void> {
    const actorId = actorOf(me);
    if (!actorId) throw new ImpersonationError(E.NotFound, 'Nobody acts on your behalf in this session');
    await this.commands.execute(new EndImpersonationCommand(me.tenantId!, me.subject, actorId));
  }

  @Post('internal/v1/impersonations/redeem')
  @Authorize({ scopes: ['identity.internal'] })
  @OkRoute('The authorization server redeems a start link once, for the administrator who made it', {
    type: RedeemedImpersonationView,
  })
  @ApiImpersonationErrors(E.TicketInvalid)
  async redeem(@Body() dto: RedeemImpersonationDto): Promise<RedeemedImpersonationView> {
    const redeemed = await this.commands.execute(new RedeemImpersonationCommand(dto.ticket, dto.actorId));
    return { ...redeemed, expiresAt: redeemed.expiresAt.toISOString() };
  }
}

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);
