/**
 * Lifecycle events benchmark: end-to-end lag from outbox commit to a kafkajs consumer,
 * at a sustained commit rate (default 500 events/s for 60 s; BENCH_EVENTS_RATE,
 * BENCH_EVENTS_SECONDS and BENCH_EVENTS_KEYS override). Target: p99 < 1 s.
 *
 * Real components, loopback only: an embedded Postgres, a local Kafka broker, and the
 * built identity backend as its own process, whose outbox relay publishes with its
 * production settings. This process commits one event per transaction through the
 * OutboxWriter (as a user change does) on an open-loop schedule, and consumes the topic
 * with a kafkajs consumer; lag = consumed at - commit returned, on one clock.
 * Run: bash tools/bench/events.sh
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresDataSourceOptions } from '@platform/database';
import { createKafkaClient, OutboxMessage, OutboxWriter } from '@platform/events';
import { freePort, startLocalKafka, startLocalPostgres, workspaceRoot } from '@platform/local-infra';
import { DataSource } from 'typeorm';

const RATE = Number(process.env.BENCH_EVENTS_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_EVENTS_SECONDS ?? 60);
const KEYS = Number(process.env.BENCH_EVENTS_KEYS ?? 1_000);
const TOPIC = 'identity.user.v1';
const DRAIN_TIMEOUT_MS = 30_000;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'events-bench-'));
  const [postgres, kafka] = await Promise.all([
    freePort().then((port) => startLocalPostgres({ dataDir: join(dir, 'pg'), port, databases: ['bench'] })),
    startLocalKafka({ dataDir: join(dir, 'kafka') }),
  ]);
  let service: ChildProcess | null = null;
  let dataSource: DataSource | null = null;
  const client = createKafkaClient({ clientId: 'events-bench', brokers: kafka.brokers });
  const consumer = client.consumer({ groupId: `events-bench-${randomUUID()}` });
  try {
    service = await startIdentityBackend(postgres.urlFor('bench'), kafka.brokers.join(','));
    dataSource = await new DataSource(
      postgresDataSourceOptions({
        url: postgres.urlFor('bench'),
        poolSize: 20,
        entities: [OutboxMessage],
        migrations: [],
      }),
    ).initialize();

    const committedAt = new Float64Array(RATE * SECONDS + 1).fill(NaN);
    const consumedAt = new Float64Array(RATE * SECONDS + 1).fill(NaN);
    let consumed = 0;
    let warmupConsumed = 0;
    await waitForTopic(client, TOPIC);
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ message }) => {
        const now = performance.now();
        const { data } = JSON.parse(String(message.value)) as { data: { n: number; warmup?: boolean } };
        if (data.warmup) {
          warmupConsumed++;
        } else if (Number.isNaN(consumedAt[data.n])) {
          consumedAt[data.n] = now;
          consumed++;
        }
      },
    });
    await joined;

    const writer = new OutboxWriter('/events-bench');
    const users = Array.from({ length: KEYS }, () => randomUUID());
    const tenantId = randomUUID();
    const commit = (n: number, warmup = false) =>
      dataSource!.transaction((manager) =>
        writer.append(manager, [
          {
            type: 'identity.user.updated.v1',
            topic: TOPIC,
            aggregateId: users[n % KEYS],
            tenantId,
            data: { userId: users[n % KEYS], changed: ['profile'], n, ...(warmup ? { warmup } : {}) },
          },
        ]),
      );

    // Warm-up: the relay's producer connects on its first publish; that is not steady state.
    for (let i = 0; i < 20; i++) await commit(i, true);
    await until(() => warmupConsumed >= 20, 30_000, 'warm-up events not consumed');

    process.stdout.write(`committing ${RATE} events/s for ${SECONDS} s (one event per transaction)...\n`);
    const total = RATE * SECONDS;
    const commitLatencies: number[] = [];
    let failed = 0;
    let started = 0;
    const inFlight = new Set<Promise<void>>();
    const t0 = performance.now();
    // Open loop: events start on schedule whether or not earlier commits have returned.
    while (started < total) {
      const due = Math.min(total, Math.floor(((performance.now() - t0) * RATE) / 1000) + 1);
      for (; started < due; started++) {
        const n = started;
        const scheduledAt = t0 + (n * 1000) / RATE;
        const p = commit(n).then(
          () => {
            committedAt[n] = performance.now();
            commitLatencies.push(committedAt[n] - scheduledAt);
          },
          () => void failed++,
        );
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      }
      await sleep(Math.max(0, t0 + (started * 1000) / RATE - performance.now()));
    }
    await Promise.all(inFlight);
    const commitSeconds = (performance.now() - t0) / 1000;
    await until(
      () => consumed >= total - failed,
      DRAIN_TIMEOUT_MS,
      `${total - failed - consumed} events not consumed`,
    ).catch((error: Error) => process.stdout.write(`warning: ${error.message}\n`));

    const lags: number[] = [];
    for (let n = 0; n < total; n++) {
      if (!Number.isNaN(committedAt[n]) && !Number.isNaN(consumedAt[n])) lags.push(consumedAt[n] - committedAt[n]);
    }
    lags.sort((a, b) => a - b);
    commitLatencies.sort((a, b) => a - b);
    const q = (values: number[], p: number) => values[Math.min(values.length - 1, Math.floor(p * values.length))];
    const p99 = q(lags, 0.99);
    process.stdout.write(
      `\nmachine: ${cpus().length} cores; ${KEYS} keys; relay in the identity-backend process with its default settings\n` +
        `committed: ${total - failed} of ${total} in ${commitSeconds.toFixed(1)} s (${((total - failed) / commitSeconds).toFixed(1)}/s), ` +
        `commit latency from schedule p50 ${q(commitLatencies, 0.5).toFixed(1)} ms, p99 ${q(commitLatencies, 0.99).toFixed(1)} ms\n` +
        `consumed:  ${consumed} (missing ${total - failed - consumed})\n` +
        `end-to-end lag (commit -> consumed): p50 ${q(lags, 0.5).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, ` +
        `max ${lags[lags.length - 1].toFixed(1)} ms (n=${lags.length})\n` +
        `target p99 < 1000 ms: ${p99 < 1000 ? 'met' : 'MISSED'}\n`,
    );
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await dataSource?.destroy().catch(() => undefined);
    if (service && service.exitCode === null) {
      await new Promise<void>((resolve) => (service!.once('exit', () => resolve()), service!.kill('SIGTERM')));
    }
    await Promise.allSettled([postgres.stop(), kafka.stop()]);
    await rm(dir, { recursive: true, force: true });
  }
}

async function startIdentityBackend(databaseUrl: string, brokers: string): Promise<ChildProcess> {
  const entry = join(workspaceRoot(), 'dist/apps/identity-backend/src/main.js');
  const port = await freePort();
  const env = {
    PATH: process.env.PATH!,
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: brokers,
    PORT: String(port),
    LOG_LEVEL: 'error',
    BOOTSTRAP_DEFAULT_TENANT: 'false',
    NODE_OPTIONS: '--no-warnings=TimeoutNegativeWarning',
  };
  await new Promise<void>((resolve, reject) =>
    spawn(process.execPath, [entry, 'migrate'], { env, stdio: 'ignore' }).once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`identity-backend migrate exited with ${code}`)),
    ),
  );
  const child = spawn(process.execPath, [entry, 'serve'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  await until(
    async () => (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null))?.ok === true,
    60_000,
    'identity-backend not ready',
  );
  return child;
}

async function waitForTopic(kafka: ReturnType<typeof createKafkaClient>, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await until(async () => (await admin.listTopics()).includes(topic), 30_000, `topic ${topic} not created`);
  } finally {
    await admin.disconnect();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await sleep(20);
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`events benchmark failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
