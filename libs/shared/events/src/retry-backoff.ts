export interface BackoffPolicy {
  minMs: number;
  maxMs: number;
}

/**
 * Delay before retry number `failures` (1 = first retry): doubles from `minMs` up to
 * `maxMs`, then picks a point in the upper half so replicas that failed together do not
 * retry in lock-step.
 */
export function retryBackoffMs(failures: number, policy: BackoffPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.minMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
