import { type DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { IdentityBootstrap } from './bootstrap';
import { IdentityHousekeeping } from './housekeeping';
import { AuditController } from './audit/audit.controller';
import { AuditRepository } from './audit/audit.repository';
import { ListAuditEventsHandler, ListUserAuditEventsHandler } from './audit/queries/audit.queries';
import { EraseUserHandler, ExportPersonalDataHandler } from './gdpr/gdpr.commands';
import { GdprController } from './gdpr/gdpr.controller';
import {
  ChangeGroupMembersHandler,
  ChangeGroupRolesHandler,
  ChangeSubgroupsHandler,
  CreateGroupHandler,
  DeleteGroupHandler,
  UpdateGroupHandler,
} from './groups/commands/group.commands';
import { GroupsController } from './groups/groups.controller';
import { GroupsRepository } from './groups/groups.repository';
import {
  GetGroupHandler,
  GroupRolesHandler,
  ListGroupMembersHandler,
  ListSubgroupsHandler,
  UserGroupsHandler,
} from './groups/queries/group.queries';
import { DeleteIdpHandler, SaveIdpHandler, UnlinkExternalIdentityHandler } from './idps/commands/idp.commands';
import { ResolveExternalIdentityHandler } from './idps/commands/resolve-external-identity.command';
import { LinkExternalIdentityHandler } from './idps/commands/link-external-identity.command';
import { NotifyNewDeviceSignInHandler } from './mail/commands/notify-new-device-sign-in.command';
import { IMPERSONATION_CONTROLLERS, IMPERSONATION_PROVIDERS } from './impersonation/impersonation.providers';
import { IdentityProvidersRepository } from './idps/identity-providers.repository';
import { IdpsController } from './idps/idps.controller';
import { IdpFederationController } from './idps/idp-federation.controller';
import { TestIdpConnectionHandler } from './idps/queries/test-idp-connection.query';
import { SaveIdpFederationHandler } from './idps/commands/save-idp-federation.command';
import { RequestContextInterceptor } from './common/request-context';
import type { IdentityBackendConfig } from './config';
import { SetPasswordHandler } from './credentials/commands/set-password.command';
import { VerifyCredentialsHandler } from './credentials/commands/verify-credentials.command';
import { SignInThrottle } from './credentials/sign-in-throttle';
import { RateLimiter } from './common/rate-limiter';
import { MailLimits } from './email-flows/mail-limits';
import { PasswordHasher, passwordHashPolicy } from './credentials/password-hasher';
import { IDENTITY_CONFIG } from './common/tokens';
import { InternalController } from './internal/internal.controller';
import { LockoutService } from './credentials/lockout.service';
import { SignInRepository } from './credentials/sign-in.repository';
import { PasswordHistoryRepository } from './credentials/password-history.repository';
import { GdprRepository } from './gdpr/gdpr.repository';
import { MeController } from './me/me.controller';
import { DeleteMyAccountHandler } from './me/delete-my-account.command';
import { MyMfaStatusHandler } from './me/mfa-status.query';
import {
  ConfirmEmailHandler,
  RequestVerificationEmailHandler,
  SendVerificationEmailHandler,
} from './email-flows/commands/email-verification.commands';
import { ConfirmEmailChangeHandler, RequestEmailChangeHandler } from './email-flows/commands/email-change.commands';
import { RequestPasswordResetHandler, ResetPasswordHandler } from './email-flows/commands/password-reset.commands';
import { EmailFlowsController } from './email-flows/email-flows.controller';
import { SelfServiceInternalController } from './email-flows/self-service.internal.controller';
import { EmailTokens } from './email-flows/email-tokens';
import { LogMailer, Mailer, SmtpMailer } from './mail/mailer';
import { MailOutbox } from './mail/mail-outbox';
import { MailRelay } from './mail/mail-relay';
import {
  ConfirmTotpHandler,
  RegenerateRecoveryCodesHandler,
  RemoveMfaHandler,
  StartTotpEnrollmentHandler,
} from './mfa/commands/totp-enrollment.commands';
import { VerifyMfaHandler } from './mfa/commands/verify-mfa.command';
import { MfaFactors } from './mfa/mfa-factors';
import {
  DeletePasskeyHandler,
  FinishPasskeyRegistrationHandler,
  RenamePasskeyHandler,
  StartPasskeyRegistrationHandler,
} from './passkeys/commands/passkey-registration.commands';
import { StartPasskeyAuthenticationHandler, VerifyPasskeyHandler } from './passkeys/commands/passkey-sign-in.commands';
import { MyPasskeysController } from './passkeys/my-passkeys.controller';
import { PasskeyCeremonies } from './passkeys/passkey-ceremonies';
import { PasskeysInternalController } from './passkeys/passkeys.internal.controller';
import { PasskeysRepository } from './passkeys/passkeys.repository';
import { ListPasskeysHandler } from './passkeys/queries/list-passkeys.query';
import { Keyring } from '@platform/crypto';
import { KEYRING } from './common/tokens';
import { PasswordService } from './credentials/password.service';
import { EventRecorder } from './events/event-recorder';
import { OutboxEventRecorder } from './events/outbox-event-recorder';
import {
  ChangeRolePermissionsHandler,
  ChangeUserRolesHandler,
  CreateRoleHandler,
  DeleteRoleHandler,
  UpdateRoleHandler,
} from './roles/commands/role.commands';
import { GetRoleHandler, ListRoleMembersHandler, EffectivePermissionsHandler } from './roles/queries/role.queries';
import { RolesController } from './roles/roles.controller';
import { RolesRepository } from './roles/roles.repository';
import { CreateTenantHandler } from './tenants/commands/create-tenant.command';
import { UpdateTenantHandler } from './tenants/commands/update-tenant.command';
import { GetTenantHandler } from './tenants/queries/tenant.queries';
import { TenantsController } from './tenants/tenants.controller';
import { OperatorsTenant } from './tenants/operators-tenant';
import { TenantsRepository } from './tenants/tenants.repository';
import { ChangeUserStatusHandler } from './users/commands/change-user-status.command';
import { CreateUserHandler } from './users/commands/create-user.command';
import { RegisterUserHandler } from './users/commands/register-user.command';
import { UpdateUserHandler } from './users/commands/update-user.command';
import { VerifyEmailHandler } from './users/commands/verify-email.command';
import { UserClaimsHandler } from './users/queries/user-claims.query';
import { GetUserHandler } from './users/queries/user.queries';
import { RegistrationsController } from './users/registrations.controller';
import { UsersController } from './users/users.controller';
import { UsersRepository } from './users/users.repository';

const commandHandlers = [
  CreateTenantHandler,
  UpdateTenantHandler,
  CreateUserHandler,
  RegisterUserHandler,
  UpdateUserHandler,
  ChangeUserStatusHandler,
  VerifyEmailHandler,
  CreateRoleHandler,
  UpdateRoleHandler,
  DeleteRoleHandler,
  ChangeUserRolesHandler,
  ChangeRolePermissionsHandler,
  CreateGroupHandler,
  UpdateGroupHandler,
  DeleteGroupHandler,
  ChangeGroupMembersHandler,
  ChangeGroupRolesHandler,
  ChangeSubgroupsHandler,
  VerifyCredentialsHandler,
  StartTotpEnrollmentHandler,
  ConfirmTotpHandler,
  RegenerateRecoveryCodesHandler,
  RemoveMfaHandler,
  VerifyMfaHandler,
  SetPasswordHandler,
  SendVerificationEmailHandler,
  ConfirmEmailHandler,
  RequestPasswordResetHandler,
  ResetPasswordHandler,
  RequestEmailChangeHandler,
  RequestVerificationEmailHandler,
  ConfirmEmailChangeHandler,
  EraseUserHandler,
  DeleteMyAccountHandler,
  SaveIdpHandler,
  DeleteIdpHandler,
  UnlinkExternalIdentityHandler,
  ResolveExternalIdentityHandler,
  LinkExternalIdentityHandler,
  NotifyNewDeviceSignInHandler,
  SaveIdpFederationHandler,
  StartPasskeyRegistrationHandler,
  FinishPasskeyRegistrationHandler,
  RenamePasskeyHandler,
  DeletePasskeyHandler,
  StartPasskeyAuthenticationHandler,
  VerifyPasskeyHandler,
];
const queryHandlers = [
  GetTenantHandler,
  GetUserHandler,
  GetRoleHandler,
  ListRoleMembersHandler,
  EffectivePermissionsHandler,
  GetGroupHandler,
  ListGroupMembersHandler,
  ListSubgroupsHandler,
  GroupRolesHandler,
  UserGroupsHandler,
  UserClaimsHandler,
  ExportPersonalDataHandler,
  MyMfaStatusHandler,
  ListAuditEventsHandler,
  ListUserAuditEventsHandler,
  ListPasskeysHandler,
  TestIdpConnectionHandler,
];

/** The user directory: tenants, users, credentials and roles. */
@Module({})
export class IdentityModule {
  static forRoot(config: IdentityBackendConfig): DynamicModule {
    return {
      module: IdentityModule,
      imports: [CqrsModule.forRoot()],
      controllers: [
        TenantsController,
        UsersController,
        RegistrationsController,
        RolesController,
        GroupsController,
        InternalController,
        MeController,
        EmailFlowsController,
        SelfServiceInternalController,
        AuditController,
        GdprController,
        IdpsController,
        IdpFederationController,
        MyPasskeysController,
        PasskeysInternalController,
        ...IMPERSONATION_CONTROLLERS,
      ],
      providers: [
        { provide: IDENTITY_CONFIG, useValue: config },
        { provide: PasswordHasher, useValue: new PasswordHasher(passwordHashPolicy(config)) },
        RateLimiter,
        SignInThrottle,
        MailLimits,
        IdentityBootstrap,
        IdentityHousekeeping,
        { provide: APP_INTERCEPTOR, useClass: RequestContextInterceptor },
        LockoutService,
        SignInRepository,
        PasswordHistoryRepository,
        GdprRepository,
        MfaFactors,
        PasskeysRepository,
        PasskeyCeremonies,
        EmailTokens,
        MailOutbox,
        MailRelay,
        IdentityProvidersRepository,
        {
          provide: Mailer,
          useValue: config.SMTP_URL ? new SmtpMailer(config.SMTP_URL, config.MAIL_FROM) : new LogMailer(),
        },
        { provide: KEYRING, useValue: keyringOf(config) },
        { provide: EventRecorder, useClass: OutboxEventRecorder },
        PasswordService,
        TenantsRepository,
        OperatorsTenant,
        UsersRepository,
        RolesRepository,
        GroupsRepository,
        AuditRepository,
        ...commandHandlers,
        ...queryHandlers,
        ...IMPERSONATION_PROVIDERS,
      ],
    };
  }
}

/** Without configured keys (development only; production refuses to start) secrets are sealed with a key that dies with the process. */
function keyringOf(config: IdentityBackendConfig): Keyring {
  return Keyring.parse(config.DATA_ENCRYPTION_KEYS ?? Keyring.generateSpec('ephemeral'));
}
