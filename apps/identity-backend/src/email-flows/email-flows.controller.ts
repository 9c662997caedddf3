import { applyDecorators, Body, Controller, HttpCode, Ip, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { Authorize, CurrentPrincipal, Public, type Principal, ScopedTenant } from '@platform/resource-server';
import { AcceptedRoute, NoContentRoute } from '@platform/runtime';
import { Access } from '../common/access';
import { ApiErrors, Refusal } from '../common/api-responses';
import { TENANT_ID_QUERY } from '../common/tenant-scoped-api';
import { ConfirmEmailChangeCommand, RequestEmailChangeCommand } from './commands/email-change.commands';
import {
  ConfirmEmailCommand,
  RequestVerificationEmailCommand,
  SendVerificationEmailCommand,
} from './commands/email-verification.commands';
import { RequestPasswordResetCommand, ResetPasswordCommand } from './commands/password-reset.commands';
import { EmailTokenDto, RequestEmailChangeDto, RequestPasswordResetDto, ResetPasswordDto } from './dto/email-flows.dto';

const MAIL_LIMITED =
  'too_many_requests (Retry-After): mail limit per client IP or per address (counted whether or not the address has an account)';

const ACCEPTED = { status: 'accepted', message: 'If the address has an account, an email is on its way.' } as const;

/**
 * A public route that mails an address on request: it answers ACCEPTED (202) whether or not the
 * address has an account (`accepted` says so), refuses a malformed body and past the mail limit.
 */
const PublicMailRequest = (summary: string, accepted: string) =>
  applyDecorators(
    AcceptedRoute(summary, { description: accepted }),
    ApiResponse(Refusal.validationFailed),
    Public(),
    ApiTooManyRequestsResponse({ description: MAIL_LIMITED }),
  );

@ApiTags('email verification, password reset and email change')
@Controller('api/v1')
export class EmailFlowsController {
  constructor(private readonly commands: CommandBus) {}

  @Post('email-verifications')
  @PublicMailRequest(
    'Request a new verification email',
    'A new verification link, by address: the same answer, in the same time, whatever the address',
  )
  async requestVerification(@Body() dto: RequestPasswordResetDto, @Ip() clientIp: string): Promise<typeof ACCEPTED> {
    await this.commands.execute(new RequestVerificationEmailCommand(dto.tenant, dto.email, clientIp));
    return ACCEPTED;
  }

  @Post('email-verifications/confirm')
  @NoContentRoute(
    'Confirm an email address with a link token',
    'The address is verified; the link cannot be used again',
  )
  @ApiResponse(Refusal.invalidEmailToken)
  @Public()
  async confirmEmail(@Body() dto: EmailTokenDto): Promise<void> {
    await this.commands.execute(new ConfirmEmailCommand(dto.token));
  }

  @Post('users/:id/verify-email/send')
  @AcceptedRoute('Send a user a verification email', { description: 'Sends (again) a verification link to the user' })
  @ApiErrors(Refusal.validationFailed, Refusal.noBearerToken, Refusal.bearerLacksAccess, Refusal.userNotFound)
  @ApiQuery(TENANT_ID_QUERY)
  @ApiBearerAuth()
  @Authorize(Access.usersWrite)
  @ApiTooManyRequestsResponse({ description: MAIL_LIMITED })
  async sendVerification(
    @Param('id', ParseUUIDPipe) id: string,
    @ScopedTenant() tenantId: string,
    @Ip() clientIp: string,
  ) {
    await this.commands.execute(new SendVerificationEmailCommand(tenantId, id, { clientIp }));
    return { status: 'accepted' };
  }

  @Post('me/verify-email/send')
  @ApiOperation({ summary: 'Send myself a verification email' })
  @ApiErrors(Refusal.noBearerToken, Refusal.userNotFound)
  @ApiBearerAuth()
  @HttpCode(202)
  @Authorize({ signedInUser: true })
  @ApiTooManyRequestsResponse({ description: MAIL_LIMITED })
  async sendOwnVerification(@CurrentPrincipal() me: Principal, @Ip() clientIp: string) {
    await this.commands.execute(new SendVerificationEmailCommand(me.tenantId!, me.subject, { clientIp }));
    return { status: 'accepted' };
  }

  @Post('password-resets')
  @PublicMailRequest(
    'Request a password reset email',
    'The same answer, in the same time, whether or not the address has an account',
  )
  async requestReset(@Body() dto: RequestPasswordResetDto, @Ip() clientIp: string): Promise<typeof ACCEPTED> {
    await this.commands.execute(new RequestPasswordResetCommand(dto.tenant, dto.email, clientIp));
    return ACCEPTED;
  }

  @Post('password-resets/confirm')
  @NoContentRoute('Reset a password with a link token', 'Password replaced; every session of the user ends')
  @ApiResponse(Refusal.invalidEmailToken)
  @ApiResponse({ status: 401, description: '`mfa_required`, `invalid_mfa_code`: the account has a second factor' })
  @ApiResponse(Refusal.passwordRefused)
  @Public()
  async reset(@Body() dto: ResetPasswordDto): Promise<void> {
    await this.commands.execute(new ResetPasswordCommand(dto.token, dto.newPassword, dto.mfa));
  }

  @Post('me/email-change')
  @AcceptedRoute('Request a change of my email address', {
    description:
      'A confirmation link goes to the new address and an alert to the current one; the address changes when the link is opened',
  })
  @ApiResponse({ status: 400, description: '`invalid_email`, `validation_failed`' })
  @ApiResponse({ status: 401, description: '`invalid_token`; `reauthentication_required`, `invalid_credentials`' })
  @ApiResponse({ status: 409, description: '`email_taken`' })
  @ApiBearerAuth()
  @Authorize({ signedInUser: true })
  @ApiTooManyRequestsResponse({ description: MAIL_LIMITED })
  async requestEmailChange(
    @Body() dto: RequestEmailChangeDto,
    @CurrentPrincipal() me: Principal,
    @Ip() clientIp: string,
  ): Promise<{ status: 'accepted' }> {
    const authTime = typeof me.claims.auth_time === 'number' ? me.claims.auth_time : undefined;
    await this.commands.execute(
      new RequestEmailChangeCommand(
        me.tenantId!,
        me.subject,
        dto.newEmail,
        { currentPassword: dto.currentPassword, authTime },
        clientIp,
      ),
    );
    return { status: 'accepted' };
  }

  @Post('email-changes/confirm')
  @NoContentRoute(
    'Confirm an email change with a link token',
    'The account now has the new (verified) address; the link cannot be used again',
  )
  @ApiResponse(Refusal.invalidEmailToken)
  @ApiResponse({ status: 409, description: '`email_taken`' })
  @Public()
  async confirmEmailChange(@Body() dto: EmailTokenDto): Promise<void> {
    await this.commands.execute(new ConfirmEmailChangeCommand(dto.token));
  }
}
