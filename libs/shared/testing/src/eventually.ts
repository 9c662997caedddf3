export interface EventuallyOptions<T> {
  /** How long to keep polling (default 10 s: events travel through Kafka on a busy machine). */
  timeoutMs?: number;
  /** Pause between two probes (default 100 ms). */
  everyMs?: number;
  /** With it, giving up throws `not within N ms: <failure>` (given the last value) instead of returning it. */
  failure?: string | ((last: T) => string | Promise<string>);
}

/**
 * Polls `probe` until it returns something truthy and returns that. What it does on giving up
 * after `timeoutMs`: return the last (falsy) value for the caller's assertion to report, or throw
 * with `failure`. The one polling helper of the test suites: wait for a state, never sleep a fixed time.
 */
export async function eventually<T>(probe: () => T | Promise<T>, timeoutMs?: number, everyMs?: number): Promise<T>;
export async function eventually<T>(
  probe: () => T | Promise<T>,
  options: EventuallyOptions<T> & { failure: NonNullable<EventuallyOptions<T>['failure']> },
): Promise<NonNullable<T>>;
export async function eventually<T>(probe: () => T | Promise<T>, options: EventuallyOptions<T>): Promise<T>;
export async function eventually<T>(
  probe: () => T | Promise<T>,
  optionsOrTimeout: EventuallyOptions<T> | number = {},
  everyMs?: number,
): Promise<T> {
  const options = typeof optionsOrTimeout === 'number' ? { timeoutMs: optionsOrTimeout, everyMs } : optionsOrTimeout;
  const { timeoutMs = 10_000, failure } = options;
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!last && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 100));
    last = await probe();
  }
  if (!last && failure !== undefined) {
    throw new Error(`not within ${timeoutMs} ms: ${typeof failure === 'string' ? failure : await failure(last)}`);
  }
  return last;
}
