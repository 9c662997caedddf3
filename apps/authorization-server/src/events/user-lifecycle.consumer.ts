import { affectedRows } from '@platform/database';
import { Inject, Injectable } from '@nestjs/common';
import type { CloudEvent } from '@platform/events';
import type { EntityManager } from 'typeorm';
import type { AuthorizationServerConfig } from '../config';
import { endTrustOfUser } from '../devices/trusted-devices.repository';
import { AUTHZ_CONFIG } from '../tokens';
import { ConsumerInfrastructure, ServiceEventConsumer } from './service-event-consumer';

/** Identity events after which a user must not keep any session, grant or token. */
export const ACCESS_ENDING_EVENTS = new Set([
  'identity.user.disabled.v1',
  'identity.user.locked.v1',
  'identity.user.deleted.v1',
  'identity.user.password_changed.v1',
  'identity.user.mfa_enabled.v1',
  'identity.user.mfa_disabled.v1',
]);

const USER_DELETED = 'identity.user.deleted.v1';
const TRUST_ENDING_EVENTS = new Set(
  [...ACCESS_ENDING_EVENTS].filter((type) => type !== 'identity.user.mfa_enabled.v1'),
);

/**
 * Ends a user's access when the identity backend says so: sessions, grants (consents),
 * codes and tokens of that account are deleted, so refreshes fail and SSO sessions end.
 */
export async function revokeUserAccess(manager: EntityManager, userId: string, before?: Date): Promise<number> {
  if (!before) {
    const result = await manager.query(`DELETE FROM oidc_model_instances WHERE payload->>'accountId' = $1`, [userId]);
    return affectedRows(result);
  }
  // Only what existed before the change, and everything of grants that did: the sign-in that
  // finishes a temporary-password change (the change's own event) keeps its fresh session and
  // tokens, while a refresh token rotated after the change from an older grant still goes with it.
  // The event's time has millisecond precision: whatever falls within that millisecond goes too.
  const result = await manager.query(
    `WITH change AS (SELECT $2::timestamptz + interval '1 millisecond' AS at)
     DELETE FROM oidc_model_instances
      WHERE payload->>'accountId' = $1
        AND (created_at < (SELECT at FROM change)
             OR grant_id IN (SELECT id FROM oidc_model_instances
                              WHERE model = 'Grant' AND payload->>'accountId' = $1
                                AND created_at < (SELECT at FROM change)))`,
    [userId, before],
  );
  return affectedRows(result);
}

@Injectable()
export class UserLifecycleConsumer extends ServiceEventConsumer {
  constructor(infrastructure: ConsumerInfrastructure, @Inject(AUTHZ_CONFIG) config: AuthorizationServerConfig) {
    super(infrastructure, {
      groupId: config.USER_EVENTS_CONSUMER_GROUP,
      topics: [config.USER_EVENTS_TOPIC],
      name: 'user lifecycle',
    });
  }

  protected async handle(event: CloudEvent, manager: EntityManager): Promise<void> {
    if (!ACCESS_ENDING_EVENTS.has(event.type)) return;
    const revoked = await revokeUserAccess(manager, event.subject, new Date(event.time));
    // Trusted devices end too (not with a new second factor: enrolling one takes nothing away).
    const untrusted = TRUST_ENDING_EVENTS.has(event.type)
      ? await endTrustOfUser(manager, event.subject, new Date(event.time), event.type === USER_DELETED)
      : 0;
    this.logger.info({ userId: event.subject, type: event.type, revoked, untrusted }, 'ended the access of a user');
  }
}
