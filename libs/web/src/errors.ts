/** The body every /api/v1 error leaves with (libs/shared/runtime api-exception.filter). */
export interface ApiErrorBody {
  error?: { code?: string; message?: string; details?: unknown; requestId?: string };
}

/** Human messages for the APIs' machine-readable codes; the API's own message otherwise. */
const MESSAGES: Record<string, string> = {
  validation_failed: 'Some fields are not valid.',
  not_found: 'It does not exist, or it is not yours to see.',
  forbidden: 'You are not allowed to do this.',
  insufficient_scope: 'You are not allowed to do this.',
  insufficient_permission: 'You are not allowed to do this.',
  unauthorized: 'Your sign-in has expired. Sign in again.',
  email_taken: 'A user with this email address already exists.',
  username_taken: 'A user with this username already exists.',
  slug_taken: 'A tenant with this slug already exists.',
  tenant_exists: 'A tenant with this slug already exists.',
  role_exists: 'A role with this name already exists.',
  role_name_taken: 'A role with this name already exists.',
  built_in_role: 'Built-in roles cannot be changed or deleted.',
  reserved_permission: 'This permission is reserved for platform administrators.',
  unknown_permission: 'One of the permissions does not exist.',
  password_too_short: 'The password is too short.',
  password_too_long: 'The password is too long.',
  password_too_common: 'This password is too common; choose another.',
  password_breached: 'This password appears in known breaches; choose another.',
  weak_password: 'The password is too weak.',
  invalid_redirect_uri: 'A redirect URI is not valid.',
  reserved_scope: 'One of the scopes is reserved.',
  unknown_scope: 'One of the scopes does not exist.',
  rate_limited: 'Too many attempts. Try again later.',
  conflict: 'It was changed meanwhile, or it already exists.',
  malformed_json: 'The request was malformed.',
  payload_too_large: 'The request is too large.',
  idp_slug_taken: 'An identity provider with this slug already exists.',
  idp_not_found: 'This identity provider does not exist (any more).',
  outbound_target_forbidden:
    'The address must be on the public internet: loopback, private and special-use addresses are refused.',
  external_identity_not_found: 'This linked account does not exist (any more).',
  scope_taken: 'This scope is taken: OpenID Connect, an API or another custom scope already uses it.',
  reserved_claim: 'This claim belongs to the protocol or the platform; choose another name.',
  custom_scope_exists: 'This scope is already mapped for this tenant and application.',
  unknown_client: 'No application has this client id.',
  api_key_owner_required: 'Choose the tenant or the application the key belongs to.',
  unknown_resource: 'No API has this identifier.',
  invalid_scope:
    'One of the scopes is not available: it must be a scope of the API (and of the application, if one is chosen).',
  invalid_expiry: 'The expiry is in the past or further ahead than the platform allows.',
  impersonation_upward_refused:
    'This user holds permissions you do not have: impersonating them would widen your access.',
  impersonation_not_allowed:
    'You cannot impersonate this user: only a person impersonates, never themselves nor while impersonating.',
  user_inactive: 'This user is locked, disabled or deleted: they cannot sign in.',
  device_not_found: 'This device is not trusted (any more).',
};

export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

/** A message a person can act on, for an error an API call returned (or threw). */
export function describeError(error: unknown): string {
  if (error instanceof ApiCallError) {
    const human = MESSAGES[error.code] ?? error.message;
    const details = Array.isArray(error.details) ? ` (${error.details.join('; ')})` : '';
    return error.code === 'validation_failed' ? `${human}${details}` : human;
  }
  if (error instanceof TypeError) return 'The service cannot be reached. Check your connection and try again.';
  return error instanceof Error ? error.message : String(error);
}

/** The data of an openapi-fetch result, or an ApiCallError carrying the API's code. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  const body = (result.error ?? {}) as ApiErrorBody;
  const status = result.response.status;
  throw new ApiCallError(
    status,
    body.error?.code ?? (status === 403 ? 'forbidden' : status === 404 ? 'not_found' : `http_${status}`),
    body.error?.message ?? `HTTP ${status}`,
    body.error?.details,
  );
}
