import {
  booleanFlag,
  httpUrl,
  keyringSpec,
  loadConfig,
  positiveInt,
  requiredInProduction,
  serviceConfigShape,
} from '@platform/config';
import { isKeyringSpec } from '@platform/crypto';
import { z } from 'zod';

/** A comma-separated list of browser origins (scheme, host, port; empty by default), `example` in the message. */
const originList = (example: string) =>
  z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .refine((origins) => origins.every((o) => URL.parse(o)?.origin === o), {
      message: `must be comma-separated origins such as ${example} (scheme, host, port)`,
    });

const schema = z
  .object({
    ...serviceConfigShape(3001),
    AUTHORIZATION_SERVER_URL: httpUrl().default('http://127.0.0.1:3000'),
    /** Expected `iss` of access tokens; defaults to the authorization server URL. */
    TOKEN_ISSUER: httpUrl().optional(),
    /** Where the signing keys are published; defaults to `${AUTHORIZATION_SERVER_URL}/jwks`. */
    JWKS_URL: httpUrl().optional(),
    /** The `aud` an access token must carry to be accepted by this API (its resource indicator). */
    API_AUDIENCE: z.string().min(1).default('urn:identity-platform:identity-api'),
    /**
     * Lets IdP registrations (and their discovery checks) name loopback and private addresses,
     * as the authorization server's flag of the same name does for its calls. Off: refused as SSRF.
     */
    OUTBOUND_ALLOW_PRIVATE_NETWORK: booleanFlag(false),
    /** Public base URL of this API as clients call it (checked against DPoP proofs' htu); unset: taken from the request. */
    PUBLIC_URL: httpUrl().optional(),
    /** Browser origins (comma-separated, e.g. the admin console) always allowed to call /api/v1 (CORS). */
    CORS_ALLOWED_ORIGINS: originList('https://console.example.com'),
    /** Also allow the webOrigins of clients registered at the authorization server (asked per origin, cached). */
    CORS_ALLOW_CLIENT_WEB_ORIGINS: booleanFlag(true),
    /** How long an answer of the authorization server about an origin is kept (refusals: a tenth of it, at least 5 s). */
    CORS_CACHE_SECONDS: positiveInt(60),
    /** Honour X-Forwarded-* from a reverse proxy / ingress in front of this service. */
    TRUST_PROXY: booleanFlag(false),
    /**
     * Header in which the TLS-terminating ingress forwards the client certificate (URL-encoded PEM,
     * e.g. nginx-ingress `ssl-client-cert`), for certificate-bound tokens (RFC 8705). Needs TRUST_PROXY.
     */
    MTLS_CLIENT_CERTIFICATE_HEADER: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')
      .optional(),
    /** Published outbox rows are kept this long (replay and debugging), then pruned. */
    OUTBOX_RETENTION_HOURS: positiveInt(168),
    /** Failed sign-ins one client IP may make in one tenant within the window before it must wait. */
    LOGIN_IP_MAX_FAILURES: positiveInt(50),
    LOGIN_IP_WINDOW_SECONDS: positiveInt(300),
    /** Failed sign-ins a browser with a device cookie may make before the cookie stops exempting it from the throttle. */
    LOGIN_DEVICE_MAX_FAILURES: positiveInt(5),
    LOGIN_DEVICE_WINDOW_SECONDS: positiveInt(3600),
    /** Reset and verification mails per address (whether or not it has an account) and per client IP, per window. */
    MAIL_LIMIT_PER_ADDRESS: positiveInt(3),
    MAIL_LIMIT_PER_IP: positiveInt(30),
    MAIL_LIMIT_WINDOW_SECONDS: positiveInt(900),
    /** Self-registrations per client IP per window. */
    REGISTRATION_LIMIT_PER_IP: positiveInt(10),
    REGISTRATION_LIMIT_WINDOW_SECONDS: positiveInt(3600),
    /** `kid:base64(32 bytes)[,...]`: seals MFA and IdP secrets at rest; the first key is active. */
    DATA_ENCRYPTION_KEYS: keyringSpec(isKeyringSpec),
    /** smtp(s)://user:pass@host:port; unset: emails (with their links) are written to the log instead. */
    SMTP_URL: z
      .string()
      .optional()
      .refine((v) => v === undefined || (URL.canParse(v) && ['smtp:', 'smtps:'].includes(new URL(v).protocol)), {
        message: 'must be an smtp:// or smtps:// URL',
      }),
    MAIL_FROM: z.string().min(3).default('Identity Platform <no-reply@localhost>'),
    /** Public base URL of the hosted account pages that email links open; defaults to the authorization server. */
    ACCOUNT_URL: httpUrl().optional(),
    EMAIL_VERIFICATION_TTL_MINUTES: positiveInt(24 * 60),
    PASSWORD_RESET_TTL_MINUTES: positiveInt(30),
    /**
     * Browser origins passkey ceremonies run on (comma-separated; default: the origin of ACCOUNT_URL,
     * the authorization server's public origin). WebAuthn needs https, or http://localhost.
     */
    WEBAUTHN_ORIGINS: originList('https://login.example.com'),
    /** The passkeys' relying-party id: default the hostname of the first WEBAUTHN_ORIGINS; may be a parent domain of all. */
    WEBAUTHN_RP_ID: z
      .string()
      .regex(/^[a-z0-9.-]+$/, 'must be a lower-case host name')
      .optional(),
    /** On an empty directory, create tenant `default` and its administrator. */
    BOOTSTRAP_DEFAULT_TENANT: booleanFlag(true),
    BOOTSTRAP_ADMIN_EMAIL: z.string().min(3).max(320).default('admin@example.com'),
    /** Temporary password of that administrator (changed at first sign-in); generated and logged once when unset. */
    BOOTSTRAP_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
    /**
     * Slug of the operators' tenant, created at start-up when missing: its built-in platform-admin
     * role is the only one that makes its holders platform administrators (DESIGN §2).
     */
    PLATFORM_OPERATORS_TENANT: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a tenant slug')
      .default('platform'),
    /** First platform administrator, created with the operators' tenant (temporary password, changed at first sign-in). */
    BOOTSTRAP_OPERATOR_EMAIL: z.string().min(3).max(320).default('operator@example.com'),
    /** Their temporary password; generated and logged once when unset. */
    BOOTSTRAP_OPERATOR_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
    BCRYPT_COST: z
      .string()
      .default('12')
      .refine((v) => /^\d+$/.test(v) && Number(v) >= 4 && Number(v) <= 15, {
        message: 'must be an integer between 4 and 15',
      })
      .transform(Number),
    /** Scheme of new password hashes; the other one still verifies, and is replaced at the user's next sign-in. */
    PASSWORD_HASH_ALGORITHM: z.enum(['argon2id', 'bcrypt']).default('argon2id'),
    /** argon2id cost, OWASP's floor by default (m = 19 MiB, t = 2, p = 1); changing it re-hashes at next sign-in. */
    ARGON2_MEMORY_KIB: positiveInt(19_456),
    ARGON2_ITERATIONS: positiveInt(2),
    ARGON2_PARALLELISM: positiveInt(1),
  })
  .transform((c) => ({
    ...c,
    TOKEN_ISSUER: c.TOKEN_ISSUER ?? c.AUTHORIZATION_SERVER_URL,
    JWKS_URL: c.JWKS_URL ?? `${c.AUTHORIZATION_SERVER_URL}/jwks`,
    ACCOUNT_URL: c.ACCOUNT_URL ?? c.AUTHORIZATION_SERVER_URL,
  }))
  .refine((c) => c.NODE_ENV !== 'production' || c.BCRYPT_COST >= 12, {
    path: ['BCRYPT_COST'],
    message: 'must be at least 12 in production',
  })
  .refine((c) => c.NODE_ENV !== 'production' || c.ARGON2_MEMORY_KIB * c.ARGON2_ITERATIONS >= 19_456 * 2, {
    path: ['ARGON2_MEMORY_KIB'],
    message: 'with ARGON2_ITERATIONS must be at least OWASP’s argon2id cost (19456 KiB × 2) in production',
  })
  // Browsers refuse a credential whose RP id is not the origin's host or a parent domain of it.
  .refine(
    (c) =>
      !c.WEBAUTHN_RP_ID ||
      (c.WEBAUTHN_ORIGINS.length > 0 ? c.WEBAUTHN_ORIGINS : [c.ACCOUNT_URL]).every((o) => {
        const host = new URL(o).hostname;
        return host === c.WEBAUTHN_RP_ID || host.endsWith(`.${c.WEBAUTHN_RP_ID}`);
      }),
    { path: ['WEBAUTHN_RP_ID'], message: 'must be the host (or a parent domain) of every WEBAUTHN_ORIGINS origin' },
  )
  .superRefine(requiredInProduction('DATA_ENCRYPTION_KEYS'))
  // A client certificate header is only as good as the proxy that sets it (and strips clients' copies).
  .refine((c) => !c.MTLS_CLIENT_CERTIFICATE_HEADER || c.TRUST_PROXY, {
    message: 'MTLS_CLIENT_CERTIFICATE_HEADER needs TRUST_PROXY=true (a trusted ingress sets the header)',
    path: ['MTLS_CLIENT_CERTIFICATE_HEADER'],
  });

export type IdentityBackendConfig = z.output<typeof schema>;

export const loadIdentityBackendConfig = (env: NodeJS.ProcessEnv): IdentityBackendConfig => loadConfig(schema, env);
