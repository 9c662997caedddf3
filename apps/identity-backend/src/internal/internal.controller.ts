import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiOperation,
  ApiResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Authorize } from '@platform/resource-server';
import { OkRoute } from '@platform/runtime';
import { VerifyCredentialsCommand } from '../credentials/commands/verify-credentials.command';
import { VerifyMfaCommand } from '../mfa/commands/verify-mfa.command';
import { VerifyMfaDto } from '../mfa/dto/mfa.dto';
import {
  ResolveExternalIdentityCommand,
  type ResolvedExternalIdentity,
} from '../idps/commands/resolve-external-identity.command';
import {
  InternalIdpView,
  ResolveExternalIdentityDto,
  ResolvedExternalIdentityView,
  IdpView,
} from '../idps/dto/idp.dto';
import { IdentityProvidersRepository } from '../idps/identity-providers.repository';
import { TenantsRepository } from '../tenants/tenants.repository';
import { IdentityError, IdentityErrorCode } from '../common/identity-error';
import { Access } from '../common/access';
import { InternalRoute, Refusal } from '../common/api-responses';
import type { UserClaims } from '../users/claims';
import { UserClaimsQuery } from '../users/queries/user-claims.query';
import { resolveTenantSettings } from '../tenants/tenant-settings';
import { SetPasswordCommand } from '../credentials/commands/set-password.command';
import { LinkExternalIdentityCommand } from '../idps/commands/link-external-identity.command';
import { NotifyNewDeviceSignInCommand } from '../mail/commands/notify-new-device-sign-in.command';
import {
  InternalPasswordChangeDto,
  InternalTenantView,
  LinkExternalIdentityDto,
  NewDeviceSignInDto,
  VerifiedCredentialsView,
  VerifyCredentialsDto,
} from './internal.dto';

@ApiTags('internal')
@ApiBearerAuth()
@Controller('internal/v1')
export class InternalController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly idps: IdentityProvidersRepository,
    private readonly tenants: TenantsRepository,
  ) {}

  @Post('credentials/verify')
  @Authorize(Access.internal)
  @OkRoute('Check a password sign-in (lockout, throttling, re-hash on login)', { type: VerifiedCredentialsView })
  @ApiUnauthorizedResponse({
    description:
      'invalid_credentials: the same for unknown, wrong, locked and disabled; account_locked: only for the right ' +
      'password on a temporarily locked account',
  })
  @ApiTooManyRequestsResponse({
    description: 'too_many_attempts (details.retryAfter): this IP failed too often in this tenant',
  })
  verifyCredentials(@Body() dto: VerifyCredentialsDto): Promise<VerifiedCredentialsView> {
    const device = dto.device && { deviceId: dto.device.deviceId, userId: dto.device.userId };
    return this.commands.execute(
      new VerifyCredentialsCommand(dto.tenant, dto.login, dto.password, dto.clientIp, device),
    );
  }

  @Post('mfa/verify')
  @Authorize(Access.internal)
  @OkRoute('Second sign-in step: a TOTP code (usable once), a recovery code (single use) or a passkey assertion', {
    description: '{ amr }',
  })
  @ApiUnauthorizedResponse({
    description: 'invalid_mfa_code; for a passkey invalid_passkey, passkey_counter_regression',
  })
  verifyMfa(@Body() dto: VerifyMfaDto): Promise<{ amr: string[] }> {
    return this.commands.execute(
      new VerifyMfaCommand(dto.tenantId, dto.userId, dto.method, dto.code ?? '', dto.passkey),
    );
  }

  @Post('users/:id/password')
  @InternalRoute(Refusal.validationFailed, Refusal.userNotFound, Refusal.passwordRefused)
  @HttpCode(204)
  @ApiOperation({
    summary: 'A user replaces a temporary (or any) password during sign-in: the current one proves it is them',
  })
  async changePassword(@Param('id', ParseUUIDPipe) id: string, @Body() dto: InternalPasswordChangeDto): Promise<void> {
    await this.commands.execute(
      new SetPasswordCommand({
        tenantId: dto.tenantId,
        userId: id,
        currentPassword: dto.currentPassword,
        newPassword: dto.newPassword,
        actor: id,
      }),
    );
  }

  @Post('users/:id/new-device-sign-ins')
  @InternalRoute(Refusal.validationFailed, Refusal.userNotFound)
  @HttpCode(202)
  @ApiOperation({
    summary: 'A sign-in completed in a browser new to this account: mailed to the user when the tenant wants it',
  })
  async newDeviceSignIn(@Param('id', ParseUUIDPipe) id: string, @Body() dto: NewDeviceSignInDto): Promise<void> {
    await this.commands.execute(
      new NotifyNewDeviceSignInCommand(dto.tenantId, id, dto.userAgent, new Date(dto.signedInAt)),
    );
  }

  @Get('users/:id/claims')
  @InternalRoute(Refusal.validationFailed, Refusal.userNotFound)
  @OkRoute('OIDC claims of a user for the granted scopes, plus tenant, roles and permissions', {
    description: 'sub, tenant_id, roles, permissions and the standard claims of the scopes',
  })
  claims(@Param('id', ParseUUIDPipe) id: string, @Query('scope') scope = 'openid'): Promise<UserClaims> {
    return this.queries.execute(new UserClaimsQuery(id, new Set(scope.split(' ').filter(Boolean).slice(0, 50))));
  }

  @Get('tenants/:tenant')
  @InternalRoute(Refusal.tenantNotFound)
  @OkRoute('A tenant as the hosted sign-in pages show it: id, slug, display name and branding', {
    type: InternalTenantView,
  })
  async tenant(@Param('tenant') tenantRef: string): Promise<InternalTenantView> {
    const tenant = await this.tenants.findByIdOrSlug(tenantRef);
    if (!tenant) throw new IdentityError(IdentityErrorCode.TenantNotFound, 'Tenant not found');
    const { branding, selfRegistration, newDeviceAlerts, allowMfaBypassOnTrustedDevice, trustDurationDays } =
      resolveTenantSettings(tenant.settings);
    const { id, slug, displayName } = tenant;
    return {
      id,
      slug,
      displayName,
      branding,
      selfRegistration,
      newDeviceAlerts,
      allowMfaBypassOnTrustedDevice,
      trustDurationDays,
    };
  }

  @Get('tenants/:tenant/idps')
  @InternalRoute(Refusal.tenantNotFound)
  @OkRoute("A tenant's enabled identity providers, with client secrets, for the upstream sign-in flow", {
    type: [InternalIdpView],
  })
  async tenantIdps(@Param('tenant') tenantRef: string): Promise<InternalIdpView[]> {
    const tenant = await this.tenants.findByIdOrSlug(tenantRef);
    if (!tenant) throw new IdentityError(IdentityErrorCode.TenantNotFound, 'Tenant not found');
    const idps = await this.idps.list(tenant.id, true);
    return idps.map((idp) => Object.assign(IdpView.of(idp), { clientSecret: this.idps.openSecret(idp) }));
  }

  @Post('external-identities/link')
  @HttpCode(204)
  @Authorize(Access.internal)
  @ApiOperation({ summary: 'A signed-in user links an upstream account (the account console), checked upstream' })
  @ApiResponse({ status: 409, description: '`external_identity_taken`: linked to another user' })
  async link(@Body() dto: LinkExternalIdentityDto): Promise<void> {
    await this.commands.execute(
      new LinkExternalIdentityCommand(dto.tenantId, dto.userId, dto.providerId, dto.subject, dto.claims),
    );
  }

  @Post('external-identities/resolve')
  @InternalRoute(Refusal.validationFailed, { status: 404, description: '`idp_not_found`, `no_linked_user`' })
  @OkRoute('Upstream identity -> local user (linked, auto-linked by verified email, or JIT-provisioned)', {
    type: ResolvedExternalIdentityView,
  })
  resolve(@Body() dto: ResolveExternalIdentityDto): Promise<ResolvedExternalIdentity> {
    return this.commands.execute(
      new ResolveExternalIdentityCommand(dto.tenantId, dto.providerId, dto.subject, dto.claims),
    );
  }
}
