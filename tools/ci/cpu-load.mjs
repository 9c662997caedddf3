// Keeps the machine's cores busy for a bounded time, to check that the test suite does not
// depend on an idle machine (CI machines are shared): node tools/ci/cpu-load.mjs [seconds] [workers].
// It computes nothing useful, touches no network and stops by itself.
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, workerData } from 'node:worker_threads';

if (isMainThread) {
  const seconds = Number(process.argv[2] ?? 1800);
  const workers = Number(process.argv[3] ?? availableParallelism());
  if (!(seconds > 0 && seconds <= 7200 && workers > 0 && workers <= 64)) {
    console.error('usage: cpu-load.mjs [seconds ≤ 7200] [workers ≤ 64]');
    process.exit(2);
  }
  const until = Date.now() + seconds * 1000;
  console.error(`[cpu-load] ${workers} busy workers for ${seconds} s`);
  for (let i = 0; i < workers; i++) new Worker(new URL(import.meta.url), { workerData: { until } });
} else {
  let x = 0;
  while (Date.now() < workerData.until) for (let i = 0; i < 1e6; i++) x = (x * 31 + i) % 1_000_003;
}
