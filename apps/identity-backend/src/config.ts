import { httpUrl, loadConfig, positiveInt, serviceConfigShape } from '@platform/config';
import { z } from 'zod';

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
    KAFKA_TOPIC_PARTITIONS: positiveInt(6),
    /** Failed sign-ins one client IP may make within the window before it must wait. */
    LOGIN_IP_MAX_FAILURES: positiveInt(50),
    LOGIN_IP_WINDOW_SECONDS: positiveInt(300),
    BCRYPT_COST: z
      .string()
      .default('12')
      .refine((v) => /^\d+$/.test(v) && Number(v) >= 4 && Number(v) <= 15, {
        message: 'must be an integer between 4 and 15',
      })
      .transform(Number),
  })
  .transform((c) => ({
    ...c,
    TOKEN_ISSUER: c.TOKEN_ISSUER ?? c.AUTHORIZATION_SERVER_URL,
    JWKS_URL: c.JWKS_URL ?? `${c.AUTHORIZATION_SERVER_URL}/jwks`,
  }))
  .refine((c) => c.NODE_ENV !== 'production' || c.BCRYPT_COST >= 12, {
    path: ['BCRYPT_COST'],
    message: 'must be at least 12 in production',
  });

export type IdentityBackendConfig = z.output<typeof schema>;

export const loadIdentityBackendConfig = (env: NodeJS.ProcessEnv): IdentityBackendConfig => loadConfig(schema, env);
