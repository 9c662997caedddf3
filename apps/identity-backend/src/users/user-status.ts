import { EventTypes, type IdentityEventType } from '../events/identity-events';
import type { UserStatus } from './user.entity';

export type StatusAction = 'lock' | 'unlock' | 'disable' | 'enable' | 'delete';

interface Transition {
  from: UserStatus[];
  to: UserStatus;
  event: IdentityEventType;
}

/** The account lifecycle: which action is allowed from which status, and what it announces. */
export const STATUS_TRANSITIONS: Record<StatusAction, Transition> = {
  lock: { from: ['active'], to: 'locked', event: EventTypes.userLocked },
  unlock: { from: ['locked'], to: 'active', event: EventTypes.userUnlocked },
  disable: { from: ['active', 'locked'], to: 'disabled', event: EventTypes.userDisabled },
  enable: { from: ['disabled'], to: 'active', event: EventTypes.userEnabled },
  delete: { from: ['active', 'locked', 'disabled'], to: 'deleted', event: EventTypes.userDeleted },
};
