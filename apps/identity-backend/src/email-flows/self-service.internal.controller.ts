import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Authorize } from '@platform/resource-server';
import { IdentityError, IdentityErrorCode } from '../common/identity-error';
import { PasswordPolicyView } from '../me/password-policy.query';
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

/** Only the authorization server's service token (scope identity.internal) may call these. */
const INTERNAL = { scopes: ['identity.internal'] } as const;

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
  @ApiResponse({ status: 401, description: '`invalid_token`: no valid service token' })
  @ApiResponse({ status: 403, description: '`insufficient_scope`: the service token lacks the scope' })
  @ApiResponse({ status: 404, description: '`tenant_not_found`' })
  @Authorize(INTERNAL)
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
  @ApiResponse({ status: 401, description: '`invalid_token`: no valid service token' })
  @ApiResponse({ status: 403, description: '`insufficient_scope`; `registration_disabled`' })
  @ApiResponse({ status: 404, description: '`tenant_not_found`' })
  @ApiResponse({ status: 409, description: '`email_taken`, `username_taken`' })
  @ApiResponse({ status: 422, description: '`email_domain_not_allowed`, `weak_password`' })
  @ApiResponse({ status: 429, description: '`too_many_requests`: an abuse limit (Retry-After)' })
  @HttpCode(202)
  @Authorize(INTERNAL)
  async register(@Body() dto: InternalRegistrationDto): Promise<void> {
    const profile = dto.locale ? { locale: dto.locale } : undefined;
    await this.commands.execute(
      new RegisterUserCommand(dto.tenant, dto.email, dto.password, dto.clientIp, undefined, profile),
    );
  }

  @Post('email-verifications')
  @ApiOperation({ summary: 'Request a new verification email (hosted pages)' })
  @ApiResponse({ status: 400, description: '`validation_failed`: the body or a parameter is malformed' })
  @ApiResponse({ status: 401, description: '`invalid_token`: no valid service token' })
  @ApiResponse({ status: 403, description: '`insufficient_scope`: the service token lacks the scope' })
  @ApiResponse({ status: 429, description: '`too_many_requests`: an abuse limit (Retry-After)' })
  @HttpCode(202)
  @Authorize(INTERNAL)
  async requestVerification(@Body() dto: InternalAddressRequestDto): Promise<void> {
    await this.commands.execute(new RequestVerificationEmailCommand(dto.tenant, dto.email, dto.clientIp));
  }

  @Post('email-verifications/confirm')
  @ApiOperation({ summary: 'Confirm an email address (hosted pages)' })
  @ApiResponse({
    status: 400,
    description: '`invalid_email_token`: the link is unknown, used or expired; `validation_failed`',
  })
  @ApiResponse({ status: 401, description: '`invalid_token`: no valid service token' })
  @ApiResponse({ status: 403, description: '`insufficient_scope`: the service token lacks the scope' })
  @HttpCode(204)
  @Authorize(INTERNAL)
  async confirmEmail(@Body() dto: EmailTokenDto): Promise<void> {
    await this.commands.execute(new ConfirmEmailCommand(dto.token));
  }

  @Post('password-resets')
  @ApiOperation({ summary: 'Request a password reset email (hosted pages)' })
  @ApiResponse({ status: 400, description: '`validation_failed`: the body or a parameter is malformed' })
  @ApiResponse({ status: 401, description: '`invalid_token`: no valid service token' })
  @ApiResponse({ status: 403, description: '`insufficient_scope`: the service token lacks the scope' })
  @ApiResponse({ status: 429, description: '`too_many_requests`: an abuse limit (Retry-After)' })
  @HttpCode(202)
  @Authorize(INTERNAL)
  async requestReset(@Body() dto: InternalAddressRequestDto): Promise<void> {
    await this.commands.execute(new RequestPasswordResetCommand(dto.tenant, dto.email, dto.clientIp));
  }

  @Post('password-resets/inspect')
  @ApiResponse({
    status: 400,
    description: '`invalid_email_token`: the link is unknown, used or expired; `validation_failed`',
  })
  @ApiResponse({ status: 401, description: '`invalid_token`: no valid service token' })
  @ApiResponse({ status: 403, description: '`insufficient_scope`: the service token lacks the scope' })
  @HttpCode(200)
  @Authorize(INTERNAL)
  @ApiOperation({ summary: 'Whether a reset link is still valid and needs a second factor (without using it up)' })
  async inspectReset(@Body() dto: EmailTokenDto): Promise<{ mfaRequired: boolean }> {
    const userId = await this.tokens.peek(dto.token, 'reset_password');
    return { mfaRequired: (await this.mfa.methodsOf(userId)).length > 0 };
  }

  @Post('password-resets/confirm')
  @ApiOperation({ summary: 'Reset a password with a link token (hosted pages)' })
  @ApiResponse({
    status: 400,
    description: '`invalid_email_token`: the link is unknown, used or expired; `validation_failed`',
  })
  @ApiResponse({ status: 401, description: '`invalid_token`; `mfa_required`, `invalid_mfa_code`' })
  @ApiResponse({ status: 403, description: '`insufficient_scope`: the service token lacks the scope' })
  @ApiResponse({ status: 422, description: '`weak_password`, `password_reused`: the password policy refuses it' })
  @HttpCode(204)
  @Authorize(INTERNAL)
  async reset(@Body() dto: ResetPasswordDto): Promise<void> {
    await this.commands.execute(new ResetPasswordCommand(dto.token, dto.newPassword, dto.mfa));
  }

  @Post('email-changes/confirm')
  @ApiOperation({ summary: 'Confirm an email change (hosted pages)' })
  @ApiResponse({
    status: 400,
    description: '`invalid_email_token`: the link is unknown, used or expired; `validation_failed`',
  })
  @ApiResponse({ status: 401, description: '`invalid_token`: no valid service token' })
  @ApiResponse({ status: 403, description: '`insufficient_scope`: the service token lacks the scope' })
  @ApiResponse({ status: 409, description: '`email_taken`' })
  @HttpCode(204)
  @Authorize(INTERNAL)
  async confirmEmailChange(@Body() dto: EmailTokenDto): Promise<void> {
    await this.commands.execute(new ConfirmEmailChangeCommand(dto.token));
  }
}
