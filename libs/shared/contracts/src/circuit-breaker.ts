/**
 * Fails fast while a dependency is down: after `failureThreshold` consecutive failures
 * the circuit opens for `openMs`, then lets one trial call through (half-open).
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;

  constructor(
    private readonly failureThreshold = 5,
    private readonly openMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get isOpen(): boolean {
    return this.now() < this.openUntil;
  }

  async run<T>(call: () => Promise<T>, countsAsFailure: (error: unknown) => boolean): Promise<T> {
    if (this.isOpen) throw new CircuitOpenError();
    try {
      const result = await call();
      this.failures = 0;
      return result;
    } catch (error) {
      if (countsAsFailure(error) && ++this.failures >= this.failureThreshold) {
        this.openUntil = this.now() + this.openMs;
        this.failures = 0;
      }
      throw error;
    }
  }
}

export class CircuitOpenError extends Error {
  constructor() {
    super('circuit open: the dependency failed repeatedly; not calling it for a while');
    this.name = 'CircuitOpenError';
  }
}
