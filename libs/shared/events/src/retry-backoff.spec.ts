import { retryBackoffMs } from './retry-backoff';

describe('retryBackoffMs', () => {
  const policy = { minMs: 250, maxMs: 30_000 };

  it('doubles per failure within the upper half of the window', () => {
    expect(retryBackoffMs(1, policy, () => 0)).toBe(125);
    expect(retryBackoffMs(1, policy, () => 1)).toBe(250);
    expect(retryBackoffMs(3, policy, () => 0)).toBe(500);
    expect(retryBackoffMs(3, policy, () => 1)).toBe(1_000);
  });

  it('never exceeds the cap, however many failures', () => {
    expect(retryBackoffMs(8, policy, () => 1)).toBe(30_000);
    expect(retryBackoffMs(10_000, policy, () => 1)).toBe(30_000);
    expect(retryBackoffMs(10_000, policy, () => 0)).toBe(15_000);
  });

  it('spreads retries with jitter', () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryBackoffMs(6, policy)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(4_000);
  });
});
