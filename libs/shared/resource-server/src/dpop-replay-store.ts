/**
 * Remembers the `jti` of every DPoP proof accepted while it could still pass the `iat` window,
 * so a captured proof cannot be replayed (RFC 9449 §11.1).
 */
export interface DpopReplayStore {
  /** True the first time `jti` is seen before `expiresAtMs`; false for a replay. */
  firstUse(jti: string, expiresAtMs: number): Promise<boolean>;
}

/**
 * The default store, in this process's memory. Each replica holds its own, so behind a load
 * balancer a proof could be replayed once per replica within the window (the proof still
 * binds the same token, method and URL): plug a shared store (Redis, Postgres) into
 * ResourceServerModule.forRoot({ dpop: { replayStore } }) to close that.
 *
 * Bounded: when full, the oldest entries (those closest to expiry) make room.
 */
export class InMemoryDpopReplayStore implements DpopReplayStore {
  // Insertion order is expiry order (every entry lives for the same window), so the oldest go first.
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  async firstUse(jti: string, expiresAtMs: number): Promise<boolean> {
    this.prune();
    const until = this.seen.get(jti);
    if (until !== undefined && until > this.now()) return false;
    this.seen.delete(jti);
    this.seen.set(jti, expiresAtMs);
    while (this.seen.size > this.maxEntries) this.seen.delete(this.seen.keys().next().value!);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private prune(): void {
    const now = this.now();
    for (const [jti, until] of this.seen) {
      if (until > now) break;
      this.seen.delete(jti);
    }
  }
}
