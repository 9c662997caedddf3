/** Lifecycle events the identity backend records in its outbox (DESIGN.md §3). */
export const Topics = {
  user: 'identity.user.v1',
  tenant: 'identity.tenant.v1',
  role: 'identity.role.v1',
  group: 'identity.group.v1',
} as const;

export const EventTypes = {
  userCreated: 'identity.user.created.v1',
  userUpdated: 'identity.user.updated.v1',
  userEmailVerified: 'identity.user.email_verified.v1',
  userEmailChangeRequested: 'identity.user.email_change_requested.v1',
  userEmailChanged: 'identity.user.email_changed.v1',
  userPasswordChanged: 'identity.user.password_changed.v1',
  userLocked: 'identity.user.locked.v1',
  userUnlocked: 'identity.user.unlocked.v1',
  userDisabled: 'identity.user.disabled.v1',
  userEnabled: 'identity.user.enabled.v1',
  userDeleted: 'identity.user.deleted.v1',
  userRolesChanged: 'identity.user.roles_changed.v1',
  userMfaEnabled: 'identity.user.mfa_enabled.v1',
  userMfaDisabled: 'identity.user.mfa_disabled.v1',
  userPasskeyAdded: 'identity.user.passkey_added.v1',
  userPasskeyRemoved: 'identity.user.passkey_removed.v1',
  /** A passkey presented a signature counter at or below the stored one (a cloned authenticator): refused. */
  userPasskeyCounterRegressed: 'identity.user.passkey_counter_regressed.v1',
  userExternalIdentityLinked: 'identity.user.external_identity_linked.v1',
  userExternalIdentityUnlinked: 'identity.user.external_identity_unlinked.v1',
  /** An administrator started acting as the user (issue 16); `actor` is the administrator. */
  userImpersonationStarted: 'identity.user.impersonation_started.v1',
  /** The impersonation was ended (the banner's "end") or ran out (`reason`: ended | expired). */
  userImpersonationEnded: 'identity.user.impersonation_ended.v1',
  /** A self-service action the user alone may take was refused to the administrator acting as them. */
  userImpersonationActionRefused: 'identity.user.impersonation_action_refused.v1',
  tenantCreated: 'identity.tenant.created.v1',
  tenantUpdated: 'identity.tenant.updated.v1',
  tenantIdpChanged: 'identity.tenant.idp_changed.v1',
  roleCreated: 'identity.role.created.v1',
  roleUpdated: 'identity.role.updated.v1',
  roleDeleted: 'identity.role.deleted.v1',
  groupCreated: 'identity.group.created.v1',
  groupUpdated: 'identity.group.updated.v1',
  groupDeleted: 'identity.group.deleted.v1',
  groupMembersChanged: 'identity.group.members_changed.v1',
  groupRolesChanged: 'identity.group.roles_changed.v1',
  groupSubgroupsChanged: 'identity.group.subgroups_changed.v1',
} as const;

export type IdentityEventType = (typeof EventTypes)[keyof typeof EventTypes];

/** What a command handler raises; the outbox turns it into a CloudEvent on `topic`. */
export interface IdentityEvent {
  type: IdentityEventType;
  topic: (typeof Topics)[keyof typeof Topics];
  aggregateId: string;
  tenantId: string;
  /** Identifiers and changed field names only: never secrets, hashes or tokens. */
  data: Record<string, unknown>;
}

type InTenant = { id: string; tenantId: string };

/**
 * The event builder of one kind of aggregate: its topic, the key its id goes under in the data
 * (first, before the event's own fields) and its tenant.
 */
const aggregateEvent =
  <A extends { id: string }>(topic: IdentityEvent['topic'], idKey: string, tenantOf: (aggregate: A) => string) =>
  (type: IdentityEventType, aggregate: A, data: Record<string, unknown> = {}): IdentityEvent => ({
    type,
    topic,
    aggregateId: aggregate.id,
    tenantId: tenantOf(aggregate),
    data: { [idKey]: aggregate.id, ...data },
  });

export const userEvent = aggregateEvent<InTenant>(Topics.user, 'userId', (user) => user.tenantId);
export const tenantEvent = aggregateEvent<{ id: string }>(Topics.tenant, 'tenantId', (tenant) => tenant.id);
export const roleEvent = aggregateEvent<InTenant>(Topics.role, 'roleId', (role) => role.tenantId);
export const groupEvent = aggregateEvent<InTenant>(Topics.group, 'groupId', (group) => group.tenantId);
