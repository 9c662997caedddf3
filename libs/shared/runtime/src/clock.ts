/**
 * The time business rules read (expiries, publication lead times, re-authentication windows).
 * Injected, so that a spec sets the time instead of waiting it out; PlatformModule gives every
 * service the system clock.
 */
export abstract class Clock {
  abstract now(): Date;

  /** Milliseconds since the epoch. */
  nowMs(): number {
    return this.now().getTime();
  }
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that moves only when told to: for specs and medium tests. */
export class ManualClock extends Clock {
  private at: number;

  constructor(at: Date | number = Date.now()) {
    super();
    this.at = typeof at === 'number' ? at : at.getTime();
  }

  now(): Date {
    return new Date(this.at);
  }

  set(at: Date | number): void {
    this.at = typeof at === 'number' ? at : at.getTime();
  }

  advance(ms: number): void {
    this.at += ms;
  }
}
