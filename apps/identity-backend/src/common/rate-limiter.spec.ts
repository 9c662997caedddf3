import { secondsUntilUnder } from './rate-limiter';

describe('secondsUntilUnder (sliding-window estimate)', () => {
  const limit = { name: 'mail_address', max: 3, windowSeconds: 900 } as const;

  it('lets requests through while the estimate is under the limit', () => {
    expect(secondsUntilUnder(limit, { current: 2, previous: 0, elapsed: 10 })).toBe(0);
    expect(secondsUntilUnder(limit, { current: 0, previous: 3, elapsed: 450 })).toBe(0);
  });

  it('refuses at the limit until the next window has let this one decay', () => {
    // 3 now, nothing before: the next window starts in 890 s, then ⌈3 × (1 − s/900)⌉ < 3 from s = 300.
    expect(secondsUntilUnder(limit, { current: 3, previous: 0, elapsed: 10 })).toBe(1190);
  });

  it("counts the previous window's hits, decaying across this one", () => {
    // 1 now + ⌈4 × (1 − (100 + t)/900)⌉ < 3 once t ≥ 575.
    expect(secondsUntilUnder(limit, { current: 1, previous: 4, elapsed: 100 })).toBe(575);
  });

  it('catches a burst that straddles a window boundary', () => {
    expect(secondsUntilUnder(limit, { current: 1, previous: 2, elapsed: 1 })).toBeGreaterThan(0);
  });
});
