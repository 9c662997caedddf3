import { defineApiErrors } from '@platform/runtime';

/** Every failure the identity API reports, as a stable machine-readable code. */
export enum IdentityErrorCode {
  TenantNotFound = 'tenant_not_found',
  TenantSlugTaken = 'tenant_slug_taken',
  /** The tenant named twice (POST /users: ?tenantId= and the deprecated body field) with different ids. */
  TenantConflict = 'tenant_conflict',
  UserNotFound = 'user_not_found',
  EmailTaken = 'email_taken',
  UsernameTaken = 'username_taken',
  EmailDomainNotAllowed = 'email_domain_not_allowed',
  InvalidEmail = 'invalid_email',
  WeakPassword = 'weak_password',
  PasswordReused = 'password_reused',
  InvalidCursor = 'invalid_cursor',
  InvalidStatusTransition = 'invalid_status_transition',
  RoleNotFound = 'role_not_found',
  RoleNameTaken = 'role_name_taken',
  RoleInUse = 'role_in_use',
  GroupNotFound = 'group_not_found',
  GroupNameTaken = 'group_name_taken',
  /** Putting a group inside itself or inside a group it already contains (at any depth). */
  GroupCycle = 'group_cycle',
  ReservedPermission = 'reserved_permission',
  AttributesTooLarge = 'attributes_too_large',
  PlatformAdminRequired = 'platform_admin_required',
  RegistrationDisabled = 'registration_disabled',
  InvalidCredentials = 'invalid_credentials',
  InvalidMfaCode = 'invalid_mfa_code',
  MfaNotEnabled = 'mfa_not_enabled',
  MfaAlreadyEnabled = 'mfa_already_enabled',
  MfaRequired = 'mfa_required',
  InvalidEmailToken = 'invalid_email_token',
  UserInactive = 'user_inactive',
  IdpNotFound = 'idp_not_found',
  IdpSlugTaken = 'idp_slug_taken',
  NoLinkedUser = 'no_linked_user',
  ExternalIdentityNotFound = 'external_identity_not_found',
  /** Linking an upstream account that is already linked to another user. */
  ExternalIdentityTaken = 'external_identity_taken',
  OutboundTargetForbidden = 'outbound_target_forbidden',
  /** An invisible, format (Unicode Cf, bidi) or control character in an email, username or name. */
  InvalidCharacters = 'invalid_characters',
  /** An abuse limit (mail, registration): 429 with Retry-After. */
  TooManyRequests = 'too_many_requests',
  /** The sign-in throttle (per IP and tenant): 429 with Retry-After. */
  TooManyAttempts = 'too_many_attempts',
  /** The right password on an account that failed sign-ins have locked for a while. */
  AccountLocked = 'account_locked',
  /** The right password, but the tenant requires a verified address first (the login offers a new link). */
  EmailNotVerified = 'email_not_verified',
  /** A sensitive self-service action (deleting the account) wants a fresh sign-in or the password. */
  ReauthenticationRequired = 'reauthentication_required',
  /** Unlinking would leave the account with no way to sign in (no password, no other linked account). */
  LastSignInMethod = 'last_sign_in_method',
  /** The right password, but the tenant requires a passkey of its administrators and this one holds none. */
  PasskeyRequired = 'passkey_required',
  /** Requiring passkeys of administrators would lock out the administrator asking (they hold none). */
  PasskeyPolicyLockout = 'passkey_policy_lockout',
}

const STATUS: Record<IdentityErrorCode, number> = {
  [IdentityErrorCode.TenantNotFound]: 404,
  [IdentityErrorCode.UserNotFound]: 404,
  [IdentityErrorCode.RoleNotFound]: 404,
  [IdentityErrorCode.TenantSlugTaken]: 409,
  [IdentityErrorCode.EmailTaken]: 409,
  [IdentityErrorCode.UsernameTaken]: 409,
  [IdentityErrorCode.RoleNameTaken]: 409,
  [IdentityErrorCode.RoleInUse]: 409,
  [IdentityErrorCode.GroupNotFound]: 404,
  [IdentityErrorCode.GroupNameTaken]: 409,
  [IdentityErrorCode.GroupCycle]: 400,
  [IdentityErrorCode.ReservedPermission]: 400,
  [IdentityErrorCode.InvalidStatusTransition]: 409,
  [IdentityErrorCode.EmailDomainNotAllowed]: 422,
  [IdentityErrorCode.InvalidEmail]: 400,
  [IdentityErrorCode.TenantConflict]: 400,
  [IdentityErrorCode.WeakPassword]: 422,
  [IdentityErrorCode.PasswordReused]: 422,
  [IdentityErrorCode.InvalidCursor]: 400,
  [IdentityErrorCode.AttributesTooLarge]: 413,
  [IdentityErrorCode.PlatformAdminRequired]: 403,
  [IdentityErrorCode.RegistrationDisabled]: 403,
  [IdentityErrorCode.InvalidCredentials]: 401,
  [IdentityErrorCode.InvalidMfaCode]: 401,
  [IdentityErrorCode.MfaNotEnabled]: 409,
  [IdentityErrorCode.MfaAlreadyEnabled]: 409,
  [IdentityErrorCode.MfaRequired]: 401,
  [IdentityErrorCode.InvalidEmailToken]: 400,
  [IdentityErrorCode.UserInactive]: 410,
  [IdentityErrorCode.IdpNotFound]: 404,
  [IdentityErrorCode.IdpSlugTaken]: 409,
  [IdentityErrorCode.NoLinkedUser]: 404,
  [IdentityErrorCode.ExternalIdentityNotFound]: 404,
  [IdentityErrorCode.ExternalIdentityTaken]: 409,
  [IdentityErrorCode.OutboundTargetForbidden]: 400,
  [IdentityErrorCode.InvalidCharacters]: 400,
  [IdentityErrorCode.TooManyRequests]: 429,
  [IdentityErrorCode.TooManyAttempts]: 429,
  [IdentityErrorCode.AccountLocked]: 401,
  [IdentityErrorCode.EmailNotVerified]: 403,
  [IdentityErrorCode.ReauthenticationRequired]: 401,
  [IdentityErrorCode.LastSignInMethod]: 409,
  [IdentityErrorCode.PasskeyRequired]: 403,
  [IdentityErrorCode.PasskeyPolicyLockout]: 409,
};

export class IdentityError extends defineApiErrors<IdentityErrorCode>(STATUS) {}
