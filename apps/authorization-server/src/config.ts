import {
  booleanFlag,
  httpUrl,
  keyringSpec,
  loadConfig,
  nonNegativeInt,
  positiveInt,
  requiredInProduction,
  serviceConfigShape,
} from '@platform/config';
import { isKeyringSpec } from '@platform/crypto';
import { z } from 'zod';

const schema = z
  .object({
    ...serviceConfigShape(3000),
    /** Public base URL of this server; the OIDC issuer identifier. */
    ISSUER: httpUrl().default('http://127.0.0.1:3000'),
    IDENTITY_BACKEND_URL: httpUrl().default('http://127.0.0.1:3001'),
    /** Resource indicator (token `aud`) of the identity backend's API. */
    IDENTITY_API_AUDIENCE: z.string().min(1).default('urn:identity-platform:identity-api'),
    /** Resource indicator of this server's own management API (/api/v1). */
    AUTHZ_API_AUDIENCE: z.string().min(1).default('urn:identity-platform:authorization-api'),
    ACCESS_TOKEN_TTL_SECONDS: positiveInt(900),
    /** How long published security events stay in the outbox table. */
    OUTBOX_RETENTION_HOURS: positiveInt(168),
    /** Lifetime of a refresh token and of the grant behind it (each refresh rotates the token). */
    REFRESH_TOKEN_TTL_SECONDS: positiveInt(14 * 24 * 3600),
    /**
     * Seconds after a refresh token's rotation during which presenting it again still works (a
     * sibling successor is issued): browser tabs and proxies refresh in parallel. Later reuse
     * revokes the whole grant (RFC 9700 §4.14.2). 0 = no leeway.
     */
    REFRESH_TOKEN_REUSE_LEEWAY_SECONDS: nonNegativeInt(10),
    /**
     * How long a new "next" signing key is published before a rotation may sign with it: longer
     * than it takes every replica to reload (under a second, at most the 2 s version check), so
     * no replica signs with a key another replica's /jwks lacks. Rotations asked sooner wait.
     */
    SIGNING_KEY_PUBLISH_LEAD_SECONDS: nonNegativeInt(5),
    /** How long a browser's sign-in session lasts on the hosted pages. */
    SESSION_TTL_SECONDS: positiveInt(14 * 24 * 3600),
    /** Longest lifetime of an API key, and the lifetime of one created without `expiresAt` (default 365 days). */
    API_KEY_MAX_TTL_SECONDS: positiveInt(365 * 24 * 3600),
    /** Tenant (slug or id) users sign in to when neither the client nor the request names one. */
    DEFAULT_LOGIN_TENANT: z.string().min(1).default('default'),
    /**
     * Lets the server's outgoing calls to targets a registration chooses (upstream IdPs, client
     * jwks_uri, back-channel logout, sector identifiers) reach loopback and private addresses, and
     * registrations name them. Off: they are refused as SSRF. For local setups and tests.
     */
    OUTBOUND_ALLOW_PRIVATE_NETWORK: booleanFlag(false),
    /**
     * PKCE for confidential clients that do not set `requirePkce` themselves (public clients always
     * need it). Off: OIDC confidential clients are protected by their secret and nonce (RFC 9700 §2.1.1).
     */
    PKCE_REQUIRED_FOR_CONFIDENTIAL_CLIENTS: booleanFlag(false),
    /**
     * RFC 7591/7592 Dynamic Client Registration at `/reg`, with initial access tokens an admin issues
     * for a tenant (`POST /api/v1/initial-access-tokens`). Off: clients only through the admin API.
     */
    DYNAMIC_CLIENT_REGISTRATION: booleanFlag(false),
    /**
     * ID tokens hold only sub/amr/tenant claims, the rest comes from /userinfo (oidc-provider's
     * `conformIdTokenClaims`). Off: ID tokens carry the claims of the granted scopes, as most RPs expect.
     */
    ID_TOKEN_STRICT_CLAIMS: booleanFlag(false),
    /** Timeout of each call to the identity backend's internal API. */
    IDENTITY_BACKEND_TIMEOUT_MS: positiveInt(3000),
    /** Timeout of the internal calls that check or set a password (each costs password hashes). */
    IDENTITY_BACKEND_CREDENTIAL_TIMEOUT_MS: positiveInt(15000),
    /** Kafka consumer group of the user-lifecycle consumer (replicas share it). */
    USER_EVENTS_CONSUMER_GROUP: z.string().min(1).default('authorization-server.user-lifecycle'),
    /** Topic of the identity backend's user events (dead letters go to `<topic>.dlq`). */
    USER_EVENTS_TOPIC: z.string().min(1).default('identity.user.v1'),
    /** Topic of the identity backend's tenant events (their consumer group is `<USER_EVENTS_CONSUMER_GROUP>.tenants`). */
    TENANT_EVENTS_TOPIC: z.string().min(1).default('identity.tenant.v1'),
    /** Honour X-Forwarded-* from a reverse proxy / ingress in front of this server. */
    TRUST_PROXY: booleanFlag(false),
    /**
     * RFC 8705 mutual TLS: the header in which the TLS-terminating ingress forwards the client
     * certificate (URL-encoded PEM, e.g. nginx-ingress `ssl-client-cert`; also bare base64 DER or
     * Envoy's `x-forwarded-client-cert`). Needs TRUST_PROXY. Unset: mTLS is off.
     */
    MTLS_CLIENT_CERTIFICATE_HEADER: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')
      .optional(),
    /** PEM bundle of the CAs whose certificates may authenticate `tls_client_auth` clients (unset: that method is off). */
    MTLS_CLIENT_CA_FILE: z.string().min(1).optional(),
    /** Secret for the bootstrap `admin-cli` client (e.g. from a Kubernetes Secret); generated and printed once when unset. */
    /** First start creates the public `demo` client (device flow, code + PKCE to loopback); turn off in production. */
    BOOTSTRAP_DEMO_CLIENT: booleanFlag(true),
    BOOTSTRAP_ADMIN_CLI_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** The identity backend's URL as browsers reach it (the consoles call its /api/v1); default IDENTITY_BACKEND_URL. */
    IDENTITY_BACKEND_PUBLIC_URL: httpUrl().optional(),
    /** Directory of the built single-page apps (`account/`, `console/`), served at /account and /console. */
    WEB_APPS_DIR: z.string().min(1).optional(),
    /** `kid:base64(32 bytes)[,...]`: seals private signing keys at rest; the first key is active. */
    DATA_ENCRYPTION_KEYS: keyringSpec(isKeyringSpec),
  })
  .superRefine(requiredInProduction('DATA_ENCRYPTION_KEYS'))
  // A client certificate header is only as good as the proxy that sets it (and strips clients' copies).
  .refine((c) => !c.MTLS_CLIENT_CERTIFICATE_HEADER || c.TRUST_PROXY, {
    message: 'MTLS_CLIENT_CERTIFICATE_HEADER needs TRUST_PROXY=true (a trusted ingress sets the header)',
    path: ['MTLS_CLIENT_CERTIFICATE_HEADER'],
  })
  .refine((c) => !c.MTLS_CLIENT_CA_FILE || c.MTLS_CLIENT_CERTIFICATE_HEADER, {
    message: 'MTLS_CLIENT_CA_FILE needs MTLS_CLIENT_CERTIFICATE_HEADER',
    path: ['MTLS_CLIENT_CA_FILE'],
  });

export type AuthorizationServerConfig = z.output<typeof schema>;

export const loadAuthorizationServerConfig = (env: NodeJS.ProcessEnv): AuthorizationServerConfig =>
  loadConfig(schema, env);
