import { defineApiErrorCodes, type ApiErrorCodeOf } from '@platform/runtime';

/** Every failure the identity API reports, as a stable machine-readable code. */
export const [IdentityErrorCode, IdentityError] = defineApiErrorCodes({
  TenantNotFound: ['tenant_not_found', 404],
  TenantSlugTaken: ['tenant_slug_taken', 409],
  /** The tenant named twice (POST /users: ?tenantId= and the deprecated body field) with different ids. */
  TenantConflict: ['tenant_conflict', 400],
  UserNotFound: ['user_not_found', 404],
  EmailTaken: ['email_taken', 409],
  UsernameTaken: ['username_taken', 409],
  EmailDomainNotAllowed: ['email_domain_not_allowed', 422],
  InvalidEmail: ['invalid_email', 400],
  WeakPassword: ['weak_password', 422],
  PasswordReused: ['password_reused', 422],
  InvalidCursor: ['invalid_cursor', 400],
  InvalidStatusTransition: ['invalid_status_transition', 409],
  RoleNotFound: ['role_not_found', 404],
  RoleNameTaken: ['role_name_taken', 409],
  RoleInUse: ['role_in_use', 409],
  GroupNotFound: ['group_not_found', 404],
  GroupNameTaken: ['group_name_taken', 409],
  /** Putting a group inside itself or inside a group it already contains (at any depth). */
  GroupCycle: ['group_cycle', 400],
  ReservedPermission: ['reserved_permission', 400],
  AttributesTooLarge: ['attributes_too_large', 413],
  PlatformAdminRequired: ['platform_admin_required', 403],
  RegistrationDisabled: ['registration_disabled', 403],
  InvalidCredentials: ['invalid_credentials', 401],
  InvalidMfaCode: ['invalid_mfa_code', 401],
  MfaNotEnabled: ['mfa_not_enabled', 409],
  MfaAlreadyEnabled: ['mfa_already_enabled', 409],
  MfaRequired: ['mfa_required', 401],
  InvalidEmailToken: ['invalid_email_token', 400],
  UserInactive: ['user_inactive', 410],
  IdpNotFound: ['idp_not_found', 404],
  IdpSlugTaken: ['idp_slug_taken', 409],
  NoLinkedUser: ['no_linked_user', 404],
  ExternalIdentityNotFound: ['external_identity_not_found', 404],
  /** Linking an upstream account that is already linked to another user. */
  ExternalIdentityTaken: ['external_identity_taken', 409],
  OutboundTargetForbidden: ['outbound_target_forbidden', 400],
  /** An invisible, format (Unicode Cf, bidi) or control character in an email, username or name. */
  InvalidCharacters: ['invalid_characters', 400],
  /** An abuse limit (mail, registration): 429 with Retry-After. */
  TooManyRequests: ['too_many_requests', 429],
  /** The sign-in throttle (per IP and tenant): 429 with Retry-After. */
  TooManyAttempts: ['too_many_attempts', 429],
  /** The right password on an account that failed sign-ins have locked for a while. */
  AccountLocked: ['account_locked', 401],
  /** The right password, but the tenant requires a verified address first (the login offers a new link). */
  EmailNotVerified: ['email_not_verified', 403],
  /** A sensitive self-service action (deleting the account) wants a fresh sign-in or the password. */
  ReauthenticationRequired: ['reauthentication_required', 401],
  /** Unlinking would leave the account with no way to sign in (no password, no other linked account). */
  LastSignInMethod: ['last_sign_in_method', 409],
  /** The right password, but the tenant requires a passkey of its administrators and this one holds none. */
  PasskeyRequired: ['passkey_required', 403],
  /** Requiring passkeys of administrators would lock out the administrator asking (they hold none). */
  PasskeyPolicyLockout: ['passkey_policy_lockout', 409],
});
export type IdentityErrorCode = ApiErrorCodeOf<typeof IdentityErrorCode>;
