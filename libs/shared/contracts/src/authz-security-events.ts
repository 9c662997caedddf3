/** The authorization server's own events, for audit and anomaly detection by other teams. */
export const SECURITY_TOPIC = 'authz.security.v1';

export const SecurityEventTypes = {
  loginSucceeded: 'authz.login.succeeded.v1',
  loginFailed: 'authz.login.failed.v1',
  tokenIssued: 'authz.token.issued.v1',
  clientCreated: 'authz.client.created.v1',
  clientUpdated: 'authz.client.updated.v1',
  clientDeleted: 'authz.client.deleted.v1',
  clientSecretRotated: 'authz.client.secret_rotated.v1',
  signingKeyRotated: 'authz.signing_key.rotated.v1',
  /** An administrator's start link became a session as the user (issue 16; the identity backend audits the start). */
  impersonationSessionStarted: 'authz.impersonation.session_started.v1',
  /** A self-service action of the user refused to the administrator acting as them. */
  impersonationActionRefused: 'authz.impersonation.action_refused.v1',
  deviceTrusted: 'authz.device.trusted.v1',
  deviceRevoked: 'authz.device.revoked.v1',
} as const;

export type SecurityEventType = (typeof SecurityEventTypes)[keyof typeof SecurityEventTypes];

type JsonSchema = Record<string, unknown>;
const id = { type: 'string', minLength: 1, maxLength: 255 };
const nullableId = { type: ['string', 'null'], maxLength: 255 };
const ip = { type: 'string', maxLength: 64, description: "The end user's IP address as seen by this server" };
const actor = { ...nullableId, description: 'User or client that made the change; null for the system' };
const object = (required: string[], properties: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  required,
  additionalProperties: false,
  properties,
});

/**
 * The `data` of each event (JSON Schema draft 2020-12). Identifiers, methods and outcomes
 * only: never passwords, codes, secrets or tokens — and no login names on failures, where
 * they are often mistyped passwords.
 */
export const SECURITY_EVENT_SCHEMAS: Record<SecurityEventType, JsonSchema> = {
  [SecurityEventTypes.loginSucceeded]: object(['userId', 'clientId', 'method', 'amr'], {
    userId: id,
    clientId: id,
    method: { enum: ['password', 'federated', 'passkey'] },
    amr: { type: 'array', items: { type: 'string' } },
    secondFactor: {
      enum: ['trusted_device'],
      description: 'The second factor was not asked: this browser is a trusted device of the user (amr stays pwd)',
    },
    ip,
  }),
  [SecurityEventTypes.loginFailed]: object(['clientId', 'reason'], {
    clientId: id,
    userId: nullableId,
    reason: {
      enum: [
        'invalid_credentials',
        'too_many_attempts',
        'invalid_mfa_code',
        'federation_failed',
        'invalid_passkey',
        'passkey_counter_regression',
      ],
    },
    ip,
  }),
  [SecurityEventTypes.tokenIssued]: object(['clientId', 'grantType', 'count'], {
    clientId: id,
    grantType: { type: 'string', maxLength: 100 },
    userId: nullableId,
    scope: { type: 'string', maxLength: 4000 },
    count: {
      type: 'integer',
      minimum: 1,
      description: 'Identical issuances (same client, grant, user and scope) within a quarter second',
    },
  }),
  [SecurityEventTypes.clientCreated]: object(['clientId', 'type'], { clientId: id, type: id, actor }),
  [SecurityEventTypes.clientUpdated]: object(['clientId', 'changed'], {
    clientId: id,
    changed: { type: 'array', items: { type: 'string', maxLength: 100 } },
    actor,
  }),
  [SecurityEventTypes.clientDeleted]: object(['clientId'], { clientId: id, actor }),
  [SecurityEventTypes.clientSecretRotated]: object(['clientId', 'overlapSeconds'], {
    clientId: id,
    overlapSeconds: { type: 'integer', minimum: 0 },
    actor,
  }),
  [SecurityEventTypes.impersonationSessionStarted]: object(['userId', 'actor', 'impersonationId', 'expiresAt'], {
    userId: id,
    actor: { ...id, description: 'The administrator acting as the user (the tokens carry act.sub)' },
    impersonationId: id,
    expiresAt: { type: 'string', format: 'date-time' },
  }),
  [SecurityEventTypes.impersonationActionRefused]: object(['userId', 'actor', 'action'], {
    userId: id,
    actor: id,
    action: { type: 'string', maxLength: 200 },
  }),
  [SecurityEventTypes.signingKeyRotated]: object(['active', 'next', 'retired'], {
    active: id,
    next: id,
    alg: { type: 'string', maxLength: 16, description: 'The key family rotated (one event per family)' },
    retired: { type: 'array', items: id },
    actor,
  }),
  [SecurityEventTypes.deviceTrusted]: object(['userId', 'deviceId', 'trustLevel', 'trustedUntil'], {
    userId: id,
    deviceId: { ...id, description: 'The trusted device (its public id, not the cookie)' },
    trustLevel: { enum: ['remembered', 'strong'] },
    trustedUntil: { type: 'string', format: 'date-time' },
    clientId: id,
  }),
  [SecurityEventTypes.deviceRevoked]: object(['userId', 'deviceId'], { userId: id, deviceId: id, actor }),
};
