import { EventTypes, type IdentityEvent } from '../events/identity-events';
import type { QueuedMail } from './mail-outbox';

/**
 * Seed 004's security notifications, derived from the lifecycle events a change records, so
 * every path that changes a password, locks an account or toggles two-factor authentication
 * (self-service, administrators, resets) notifies the user, in the same transaction.
 */
export function securityNotifications(events: IdentityEvent[]): QueuedMail[] {
  return events.flatMap((event): QueuedMail[] => {
    const about = { tenantId: event.tenantId, userId: event.aggregateId };
    switch (event.type) {
      case EventTypes.userCreated:
        return event.data.origin === 'self-registration' ? [{ kind: 'verify_email', ...about }] : [];
      case EventTypes.userEmailVerified:
        return event.data.method === 'email_link' ? [{ kind: 'welcome', ...about }] : [];
      case EventTypes.userPasswordChanged:
        // A temporary password set by an administrator is handed over by them, not mailed about.
        return event.data.temporary === true ? [] : [{ kind: 'password_changed', ...about }];
      case EventTypes.userLocked:
        // Failed sign-ins (a lock with an end) get the unlock link; an administrator's lock does not.
        return event.data.until ? [{ kind: 'account_locked', ...about }] : [];
      case EventTypes.userMfaEnabled:
        return [{ kind: 'mfa_enabled', ...about }];
      case EventTypes.userMfaDisabled:
        return [{ kind: 'mfa_disabled', ...about }];
      default:
        return [];
    }
  });
}
