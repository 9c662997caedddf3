import type { Client } from 'oidc-provider';

/** Client metadata of ours, beyond the registered OAuth/OIDC names. */
export interface ExtraClientMetadata {
  /** First-party client: no consent page (seed 003). */
  trusted?: boolean;
  /** Browser origins that may call the token, userinfo and revocation endpoints (CORS). */
  web_origins?: string[];
  /** Token lifetimes of this client, seconds. */
  access_token_ttl?: number;
  refresh_token_ttl?: number;
  /** PKCE for this confidential client (public clients always need it); unset: the platform default. */
  require_pkce?: boolean;
}

const positiveInt = (name: string) => (value: unknown) =>
  value === undefined || (Number.isInteger(value) && (value as number) > 0)
    ? null
    : `${name} must be a positive integer`;

const isOrigin = (value: unknown) => typeof value === 'string' && URL.parse(value)?.origin === value;

export const CLIENT_METADATA_VALIDATORS: Record<keyof ExtraClientMetadata, (value: unknown) => string | null> = {
  trusted: (value) => (value === undefined || typeof value === 'boolean' ? null : 'trusted must be a boolean'),
  web_origins: (value) =>
    value === undefined || (Array.isArray(value) && value.every(isOrigin))
      ? null
      : 'web_origins must be a list of origins such as https://app.example.com (scheme, host and port only)',
  access_token_ttl: positiveInt('access_token_ttl'),
  refresh_token_ttl: positiveInt('refresh_token_ttl'),
  require_pkce: (value) =>
    value === undefined || typeof value === 'boolean' ? null : 'require_pkce must be a boolean',
};

/**
 * pkce.required: always for public clients (RFC 9700 §2.1.1); for confidential ones their own
 * `require_pkce`, else the platform default. S256 stays the only method either way.
 */
export function pkceRequired(
  client: { clientAuthMethod?: string } & ExtraClientMetadata,
  confidentialDefault: boolean,
): boolean {
  if (client.clientAuthMethod === 'none') return true;
  return client.require_pkce ?? confidentialDefault;
}

/** extraClientMetadata.validator: synchronous, throws what the registration API reports as a 400. */
export function validateClientMetadata(_ctx: unknown, key: string, value: unknown): void {
  const problem = CLIENT_METADATA_VALIDATORS[key as keyof ExtraClientMetadata]?.(value);
  if (problem)
    throw Object.assign(new Error(problem), { error: 'invalid_client_metadata', error_description: problem });
}

/** clientBasedCORS: only the origins the client registered; never `null` (sandboxed frames, file://). */
export function allowedCorsOrigin(_ctx: unknown, origin: string, client: Client): boolean {
  return origin !== 'null' && ((client as ExtraClientMetadata).web_origins ?? []).includes(origin);
}
