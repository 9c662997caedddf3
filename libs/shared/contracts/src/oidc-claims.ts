/**
 * OpenID Connect Core §5.4: the standard claims each scope releases. Shared by the identity
 * backend (which builds them from a user) and the authorization server (which filters them
 * by the granted scopes).
 */
export const STANDARD_SCOPE_CLAIMS = {
  profile: [
    'name',
    'family_name',
    'given_name',
    'middle_name',
    'nickname',
    'preferred_username',
    'profile',
    'picture',
    'website',
    'gender',
    'birthdate',
    'zoneinfo',
    'locale',
    'updated_at',
  ],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
  address: ['address'],
} as const;

/**
 * The user claims most profiles fill, in one order: the local fields an upstream identity
 * provider's claims may fill (the identity backend's claim mapping), and with roles, permissions
 * and groups what the admin console offers as a custom scope's source.
 */
export const COMMON_PROFILE_CLAIMS = [
  'email',
  'email_verified',
  'name',
  'given_name',
  'family_name',
  'nickname',
  'preferred_username',
  'picture',
  'locale',
  'zoneinfo',
  'phone_number',
] as const;
