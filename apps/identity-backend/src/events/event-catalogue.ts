import { EventTypes, type IdentityEventType } from './identity-events';

type JsonSchema = Record<string, unknown>;

const uuid = { type: 'string', format: 'uuid' };
const actor = {
  type: ['string', 'null'],
  description: 'User or client id that caused it; null for the system or anonymous callers',
};
const reason = { type: ['string', 'null'], maxLength: 500 };
const ids = { type: 'array', items: uuid };

/** The data of the events about one kind of aggregate: its id under `idKey` first, always present. */
const aggregateData =
  (idKey: string) =>
  (properties: Record<string, JsonSchema> = {}, required: string[] = []): JsonSchema => ({
    type: 'object',
    required: [idKey, ...required],
    properties: { [idKey]: uuid, ...properties },
  });

const userData = aggregateData('userId');
const tenantData = aggregateData('tenantId');
const roleData = aggregateData('roleId');
/** A group change: `added` and `removed` name users, roles or groups (by id), whichever the type says. */
const groupData = aggregateData('groupId');

/**
 * The `data` of every identity event, as JSON Schema (draft 2020-12). This is the contract
 * product teams consume; docs/events/ is generated from it and a test keeps both in step.
 * Payloads carry identifiers, reasons and changed field names only: never personal data,
 * secrets, hashes or tokens.
 */
export const EVENT_DATA_SCHEMAS: Record<IdentityEventType, JsonSchema> = {
  [EventTypes.userCreated]: userData({ origin: { enum: ['admin', 'self-registration'] }, actor }, ['origin']),
  [EventTypes.userUpdated]: userData({ changed: { type: 'array', items: { enum: ['profile', 'attributes'] } } }, [
    'changed',
  ]),
  [EventTypes.userEmailVerified]: userData({ method: { enum: ['admin', 'email_link'] }, actor }, ['method']),
  // The addresses are personal data: consumers read the user when they need the new one.
  [EventTypes.userEmailChangeRequested]: userData({ actor }),
  [EventTypes.userEmailChanged]: userData({ actor }),
  [EventTypes.userPasswordChanged]: userData({ actor, temporary: { type: 'boolean' } }, ['temporary']),
  [EventTypes.userLocked]: userData({
    reason,
    actor,
    until: { type: 'string', description: 'End of a temporary lock' },
  }),
  [EventTypes.userUnlocked]: userData({ reason, actor }),
  [EventTypes.userDisabled]: userData({ reason, actor }),
  [EventTypes.userEnabled]: userData({ reason, actor }),
  [EventTypes.userDeleted]: userData({ reason, actor, erased: { type: 'boolean' } }),
  [EventTypes.userRolesChanged]: userData({ added: ids, removed: ids, actor }, ['added', 'removed']),
  [EventTypes.userMfaEnabled]: userData({ method: { enum: ['totp'] } }, ['method']),
  [EventTypes.userMfaDisabled]: userData({ method: { enum: ['totp'] }, actor }, ['method']),
  [EventTypes.userPasskeyAdded]: userData({ passkeyId: uuid, backedUp: { type: 'boolean' } }, ['passkeyId']),
  [EventTypes.userPasskeyRemoved]: userData({ passkeyId: uuid, actor }, ['passkeyId']),
  [EventTypes.userPasskeyCounterRegressed]: userData(
    { passkeyId: uuid, storedCount: { type: 'integer' }, presentedCount: { type: 'integer' } },
    ['passkeyId', 'storedCount', 'presentedCount'],
  ),
  [EventTypes.userExternalIdentityLinked]: userData({ providerId: uuid }, ['providerId']),
  [EventTypes.userExternalIdentityUnlinked]: userData({ providerId: uuid }, ['providerId']),
  [EventTypes.userImpersonationStarted]: userData(
    { impersonationId: uuid, actor: uuid, reason: { type: 'string', maxLength: 500 }, expiresAt: { type: 'string' } },
    ['impersonationId', 'actor', 'reason', 'expiresAt'],
  ),
  [EventTypes.userImpersonationEnded]: userData(
    { impersonationId: uuid, actor: uuid, reason: { enum: ['ended', 'expired'] } },
    ['impersonationId', 'actor', 'reason'],
  ),
  [EventTypes.userImpersonationActionRefused]: userData({ actor: uuid, action: { type: 'string' } }, [
    'actor',
    'action',
  ]),
  [EventTypes.tenantCreated]: tenantData({ slug: { type: 'string' } }, ['slug']),
  [EventTypes.tenantUpdated]: tenantData({ changed: { type: 'array', items: { type: 'string' } } }, ['changed']),
  [EventTypes.tenantIdpChanged]: tenantData({ idpId: uuid, change: { enum: ['created', 'updated', 'deleted'] } }, [
    'idpId',
    'change',
  ]),
  [EventTypes.roleCreated]: roleData(
    { name: { type: 'string' }, permissions: { type: 'array', items: { type: 'string' } } },
    ['name', 'permissions'],
  ),
  [EventTypes.roleUpdated]: roleData({ permissions: { type: 'array', items: { type: 'string' } } }, ['permissions']),
  [EventTypes.roleDeleted]: roleData({ name: { type: 'string' } }, ['name']),
  [EventTypes.groupCreated]: groupData({ name: { type: 'string' }, actor }, ['name']),
  [EventTypes.groupUpdated]: groupData(
    { changed: { type: 'array', items: { enum: ['name', 'description'] } }, actor },
    ['changed'],
  ),
  [EventTypes.groupDeleted]: groupData({ name: { type: 'string' }, actor }, ['name']),
  [EventTypes.groupMembersChanged]: groupData({ added: ids, removed: ids, actor }, ['added', 'removed']),
  [EventTypes.groupRolesChanged]: groupData({ added: ids, removed: ids, actor }, ['added', 'removed']),
  [EventTypes.groupSubgroupsChanged]: groupData({ added: ids, removed: ids, actor }, ['added', 'removed']),
};

/** The full CloudEvent schema of one event type, as published in docs/events/<type>.schema.json. */
export function cloudEventSchema(type: IdentityEventType): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:identity-platform:events:${type}`,
    title: type,
    type: 'object',
    required: ['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'tenantid', 'data'],
    properties: {
      specversion: { const: '1.0' },
      id: { type: 'string', format: 'uuid' },
      source: { const: '/identity-backend' },
      type: { const: type },
      subject: { type: 'string', format: 'uuid', description: 'The aggregate id; also the Kafka message key' },
      time: { type: 'string', format: 'date-time' },
      datacontenttype: { const: 'application/json' },
      tenantid: { type: 'string', format: 'uuid' },
      data: EVENT_DATA_SCHEMAS[type],
    },
  };
}
