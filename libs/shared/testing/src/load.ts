export interface LoadStats {
  count: number;
  errors: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/**
 * Runs `task` from `concurrency` loops until `seconds` pass or `maxOps` operations
 * started (bounded both ways, for loopback benchmarks). A task that throws or
 * resolves `false` counts as an error; latencies are of successful operations.
 */
export async function measureLoad(
  options: { concurrency: number; seconds: number; maxOps?: number },
  task: (i: number) => Promise<boolean | void>,
): Promise<LoadStats> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const maxOps = options.maxOps ?? Number.POSITIVE_INFINITY;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < deadline && next < maxOps) {
        const i = next++;
        const t = performance.now();
        const ok = await task(i).then(
          (result) => result !== false,
          () => false,
        );
        if (ok) latencies.push(performance.now() - t);
        else errors++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  const elapsed = (performance.now() - started) / 1000;
  return { count: latencies.length, errors, perSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) };
}

export const formatLoad = (s: LoadStats) =>
  `${s.perSecond.toFixed(1)}/s, p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms (n=${s.count}, errors ${s.errors})`;
