import type { Client } from 'pg';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Committed + rolled-back transactions of one database, read from another database's session
 * (so the reads do not count) once the backends have flushed their statistics: a busy backend
 * does so at most once a second, one that went idle only after 10 s (PGSTAT_IDLE_INTERVAL), so
 * the figure is read until it has not moved for longer than that.
 */
async function settledTransactions(stats: Client, database: string): Promise<number> {
  const read = async () =>
    Number(
      (
        await stats.query('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1', [
          database,
        ])
      ).rows[0].n,
    );
  let last = await read();
  let stableSince = performance.now();
  for (let i = 0; i < 60; i++) {
    await sleep(1_000);
    const now = await read();
    if (now !== last) [last, stableSince] = [now, performance.now()];
    else if (performance.now() - stableSince > 11_000) return now;
  }
  return last;
}

/**
 * Postgres transactions per operation in each database (pg_stat_database deltas) while `run`
 * performs operations (it returns how many), the databases' idle rate (outbox relays,
 * housekeeping) measured just before and subtracted. For benchmarks.
 */
export async function transactionsPerOperation(
  stats: Client,
  databases: string[],
  run: () => Promise<number>,
): Promise<Record<string, number>> {
  const idleStart = await Promise.all(databases.map((d) => settledTransactions(stats, d)));
  const idleStarted = performance.now();
  await sleep(2_000);
  const before = await Promise.all(databases.map((d) => settledTransactions(stats, d)));
  const idlePerMs = before.map((b, i) => (b - idleStart[i]!) / (performance.now() - idleStarted));
  const started = performance.now();
  const ops = await run();
  const after = await Promise.all(databases.map((d) => settledTransactions(stats, d)));
  const elapsed = performance.now() - started;
  return Object.fromEntries(
    databases.map((d, i) => [d, Math.max(0, after[i]! - before[i]! - idlePerMs[i]! * elapsed) / ops]),
  );
}
