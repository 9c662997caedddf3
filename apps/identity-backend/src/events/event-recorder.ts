import type { EntityManager } from 'typeorm';
import type { IdentityEvent } from './identity-events';

/** Records events in the caller's transaction, so a state change and its event commit together. */
export abstract class EventRecorder {
  abstract record(manager: EntityManager, events: IdentityEvent[]): Promise<void>;
}
