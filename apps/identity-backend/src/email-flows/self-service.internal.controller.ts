import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Authorize } from '@platform/resource-server';
import { Access } from '../common/access';
import { InternalRoute, Refusal } from '../common/api-responses';
import { IdentityError, IdentityErrorCode } from '../common/identity-error';
import { PasswordPolicyView } from '../me/password-policy.view';
import { MfaFactors } from '../mfa/mfa-factors';
import { resolveTenantSettings } from '../tenants/tenant-settings';
import { TenantsRepository } from '../tenants/tenants.repository';
import { RegisterUserCommand } from '../users/commands/register-user.command';
import { ConfirmEmailChangeCommand } from './commands/email-change.commands';
import { ConfirmEmailCommand, RequestVerificationEmailCommand } from './commands/email-verification.commands';
import { RequestPasswordResetCommand, ResetPasswordCommand } from './commands/password-reset.commands';
import {
  EmailTokenDto,
  InternalAddressRequestDto,
  InternalRegistrationDto,
  ResetPasswordDto,
} from './dto/email-flows.dto';
import { EmailTokens } from './email-tokens';

/** What the sign-up page needs to know of a tenant before anyone registers. */
export interface SelfServiceTenantView {
  slug: string;
  selfRegistration: boolean;
  allowedEmailDomains: string[];
  /** The whole policy, for the list the sign-up, reset and change forms show before submission. */
  passwordPolicy: PasswordPolicyView;
  termsUrl: string | null;
}

/**
 * The hosted self-service pages (sign-up, verify email, forgot/reset password, confirm an
 * email change), served by the authorization server, call these with the browser's address, so
 * the per-IP abuse limits count the person and not the authorization server. Same commands
 * (and answers) as the public API.
 */
@ApiTags('internal')
@ApiBearerAuth()
@Controller('internal/v1/self-service')
export class SelfServiceInternalController {
  constructor(
    private readonly commands: CommandBus,
    private readonly tenants: TenantsRepository,
    private readonly tokens: EmailTokens,
    private readonly mfa: MfaFactors,
  ) {}

  @Get('tenants/:tenant')
  @InternalRoute(Refusal.tenantNotFound)
  @ApiOperation({ summary: "A tenant's sign-up rules: self-registration, allowed domains, password policy, terms" })
  async tenant(@Param('tenant') ref: string): Promise<SelfServiceTenantView> {
    const tenant = await this.tenants.findByIdOrSlug(ref);
    if (!tenant || tenant.status !== 'active')
      throw new IdentityError(IdentityErrorCode.TenantNotFound, 'Tenant not found');
    const settings = resolveTenantSettings(tenant.settings);
    return {
      slug: tenant.slug,
      selfRegistration: settings.selfRegistration,
      allowedEmailDomains: settings.allowedEmailDomains,
      passwordPolicy: PasswordPolicyView.of(settings.passwordPolicy),
      termsUrl: settings.termsUrl,
    };
  }

  @Post('registrations')
  @ApiOperation({ summary: 'Register a new account (hosted sign-up page)' })
  @ApiResponse({ status: 400, description: '`invalid_email`, `invalid_characters`, `validation_failed`' })
  @ApiResponse(Refusal.noServiceToken)
  @ApiResponse({ status: 403, description: '`insufficient_scope`; `registration_disabled`' })
  @ApiResponse(Refusal.tenantNotFound)
  @ApiResponse({ status: 409, description: '`email_taken`, `username_taken`' })
  @ApiResponse({ status: 422, description: '`email_domain_not_allowed`, `weak_password`' })
  @ApiResponse(Refusal.tooManyRequests)
  @HttpCode(202)
  @Authorize(Access.internal)
  async register(@Body() dto: InternalRegistrationDto): Promise<void> {
    const profile = dto.locale ? { locale: dto.locale } : undefined;
    await this.commands.execute(
      new RegisterUserCommand(dto.tenant, dto.email, dto.password, dto.clientIp, undefined, profile),
    );
  }

  @Post('email-verifications')
  @ApiOperation({ summary: 'Request a new verification email (hosted pages)' })
  @InternalRoute(Refusal.validationFailed, Refusal.tooManyRequests)
  @HttpCode(202)
  async requestVerification(@Body() dto: InternalAddressRequestDto): Promise<void> {
    await this.commands.execute(new RequestVerificationEmailCommand(dto.tenant, dto.email, dto.clientIp));
  }

  @Post('email-verifications/confirm')
  @ApiOperation({ summary: 'Confirm an email address (hosted pages)' })
  @InternalRoute(Refusal.invalidEmailToken)
  @HttpCode(204)
  async confirmEmail(@Body() dto: EmailTokenDto): Promise<void> {
    await this.commands.execute(new ConfirmEmailCommand(dto.token));
  }

  @Post('password-resets')
  @ApiOperation({ summary: 'Request a password reset email (hosted pages)' })
  @InternalRoute(Refusal.validationFailed, Refusal.tooManyRequests)
  @HttpCode(202)
  async requestReset(@Body() dto: InternalAddressRequestDto): Promise<void> {
    await this.commands.execute(new RequestPasswordResetCommand(dto.tenant, dto.email, dto.clientIp));
  }

  @Post('password-resets/inspect')
  @InternalRoute(Refusal.invalidEmailToken)
  @HttpCode(200)
  @ApiOperation({ summary: 'Whether a reset link is still valid and needs a second factor (without using it up)' })
  async inspectReset(@Body() dto: EmailTokenDto): Promise<{ mfaRequired: boolean }> {
    const userId = await this.tokens.peek(dto.token, 'reset_password');
    return { mfaRequired: (await this.mfa.methodsOf(userId)).length > 0 };
  }

  @Post('password-resets/confirm')
  @ApiOperation({ summary: 'Reset a password with a link token (hosted pages)' })
  @ApiResponse(Refusal.invalidEmailToken)
  @ApiResponse({ status: 401, description: '`invalid_token`; `mfa_required`, `invalid_mfa_code`' })
  @ApiResponse(Refusal.serviceLacksScope)
  @ApiResponse(Refusal.passwordRefused)
  @HttpCode(204)
  @Authorize(Access.internal)
  async reset(@Body() dto: ResetPasswordDto): Promise<void> {
    await this.commands.execute(new ResetPasswordCommand(dto.token, dto.newPassword, dto.mfa));
  }

  @Post('email-changes/confirm')
  @ApiOperation({ summary: 'Confirm an email change (hosted pages)' })
  @InternalRoute(Refusal.invalidEmailToken, { status: 409, description: '`email_taken`' })
  @HttpCode(204)
  async confirmEmailChange(@Body() dto: EmailTokenDto): Promise<void> {
    await this.commands.execute(new ConfirmEmailChangeCommand(dto.token));
  }
}
