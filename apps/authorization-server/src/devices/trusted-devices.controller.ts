import { Controller, Delete, Get, Param, ParseUUIDPipe, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal, type Principal, tenantScope } from '@platform/resource-server';
import { NoContentRoute, OkRoute } from '@platform/runtime';
import type { Request } from 'express';
import { ApiManagedTenantQuery, ManagedTenant, type TenantScope } from '../access/management-access';
import { DeviceCookies } from '../interactions/device-cookies';
import { SignedInUserApi } from '../me/signed-in-user-api';
// Devices are sign-in state, administered with the sessions' scopes and permissions.
import { SESSIONS_READ, SESSIONS_WRITE } from '../sessions/sessions.controller';
import { type Account, TrustedDevices } from './trusted-devices.service';
import { MyTrustedDeviceView, TrustedDeviceView } from './trusted-devices.views';

const NO_TOKEN = { status: 401, description: 'No valid bearer token (`invalid_token`)' } as const;

const view = ({ id, trustLevel, userAgentFamily, createdAt, lastSeenAt, trustedUntil }: TrustedDeviceView) => ({
  id,
  trustLevel,
  userAgentFamily,
  createdAt,
  lastSeenAt,
  trustedUntil,
});

/** The signed-in user's trusted devices: browsers remembered at the second factor. */
@SignedInUserApi()
@ApiResponse({ status: 403, description: 'A client token, or a user without a tenant (`insufficient_scope`)' })
@Controller('api/v1/me/devices')
export class MyDevicesController {
  constructor(
    private readonly devices: TrustedDevices,
    private readonly cookies: DeviceCookies,
  ) {}

  @Get()
  @OkRoute(
    {
      summary: 'My trusted devices: browsers that skip the second factor, this one marked `current`',
      description: 'Only devices whose trust holds now (not expired, not revoked), last seen first',
    },
    { type: [MyTrustedDeviceView] },
  )
  async list(@CurrentPrincipal() me: Principal, @Req() req: Request): Promise<MyTrustedDeviceView[]> {
    const devices = await this.devices.listMine(ownerOf(me), this.cookies.read(req));
    return devices.map((device) => ({ ...view(device), current: device.current }));
  }

  @Delete(':deviceId')
  @NoContentRoute(
    'Stop trusting a device: its next sign-in asks for the second factor again',
    'The device is no longer trusted',
  )
  @ApiResponse({ status: 404, description: '`device_not_found` (also for other users’ devices and revoked ones)' })
  async revoke(@CurrentPrincipal() me: Principal, @Param('deviceId') deviceId: string): Promise<void> {
    await this.devices.revoke({ owner: ownerOf(me) }, me.subject, deviceId, me.subject);
  }
}

/** Administrators: a user's trusted devices (tenant administrators: their tenant's users only). */
@ApiTags('sessions')
@ApiBearerAuth()
@ApiManagedTenantQuery()
@ApiResponse(NO_TOKEN)
@ApiResponse({ status: 403, description: 'The token lacks the scope or permission (`insufficient_scope`)' })
@Controller('api/v1/users/:userId/devices')
export class UserDevicesController {
  constructor(private readonly devices: TrustedDevices) {}

  @Get()
  @Authorize(SESSIONS_READ)
  @OkRoute("A user's trusted devices (browsers that skip the second factor)", { type: [TrustedDeviceView] })
  @ApiResponse({ status: 404, description: '`user_not_found` (also for users of another tenant)' })
  async list(
    @ManagedTenant() scope: TenantScope,
    @Param('userId', ParseUUIDPipe) userId: string,
  ): Promise<TrustedDeviceView[]> {
    return (await this.devices.list({ scope }, userId)).map(view);
  }

  @Delete(':deviceId')
  @Authorize(SESSIONS_WRITE)
  @NoContentRoute(
    "Revoke a user's trusted device: the second factor is asked again there (audited)",
    'The device is no longer trusted; an `authz.device.revoked.v1` event names the caller',
  )
  @ApiResponse({ status: 404, description: '`user_not_found` (another tenant’s user) or `device_not_found`' })
  async revoke(
    @ManagedTenant() scope: TenantScope,
    @CurrentPrincipal() caller: Principal,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Param('deviceId') deviceId: string,
  ): Promise<void> {
    await this.devices.revoke({ scope }, userId, deviceId, caller.subject);
  }
}

/** The caller as the owner of devices: their id in their own tenant (a token without one reaches none). */
const ownerOf = (me: Principal): Account => ({ userId: me.subject, tenantId: tenantScope(me) });
