import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// eslint-disable-next-line @nx/enforce-module-boundaries -- loaded by Jest's globalSetup, outside the alias mapper
import { freePort, startLocalKafka, startLocalPostgres, stopLocalKafka } from '../../local-infra/src';
import { startSmtpTestServer } from './smtp-test-server';

export interface TestInfrastructure {
  postgresAdminUrl: string;
  kafkaBrokers: string[];
  smtpUrl: string;
  mailApi: string;
  stop(): Promise<void>;
}

const ROOT_PREFIX = 'idp-test-';
const OWNER_FILE = 'owner.pid';

/**
 * Real Postgres, a real Kafka broker and a real SMTP server, started in parallel; data in a
 * throw-away directory. If any of them fails to start, the others are stopped before the error
 * is rethrown, so a failed run leaves no broker or cluster behind.
 */
export async function startTestInfrastructure(): Promise<TestInfrastructure> {
  await sweepStaleTestInfrastructure();
  const root = await mkdtemp(join(tmpdir(), ROOT_PREFIX));
  await chmod(root, 0o755);
  await writeFile(join(root, OWNER_FILE), `${process.pid}\n`);
  const started = await Promise.allSettled([
    freePort().then((port) => startLocalPostgres({ dataDir: join(root, 'postgres'), port })),
    startLocalKafka({ dataDir: join(root, 'kafka') }),
    startSmtpTestServer(),
  ]);
  const stopAll = async () => {
    await Promise.allSettled(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
    await rm(root, { recursive: true, force: true });
  };
  const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) {
    await stopAll();
    throw failure.reason;
  }
  const [postgres, kafka, smtp] = started.map((s) => (s as PromiseFulfilledResult<unknown>).value) as [
    Awaited<ReturnType<typeof startLocalPostgres>>,
    Awaited<ReturnType<typeof startLocalKafka>>,
    Awaited<ReturnType<typeof startSmtpTestServer>>,
  ];
  return {
    postgresAdminUrl: postgres.urlFor('postgres'),
    kafkaBrokers: kafka.brokers,
    smtpUrl: smtp.smtpUrl,
    mailApi: smtp.mailApi,
    stop: stopAll,
  };
}

/**
 * A run killed before its teardown (SIGKILL, a crashed Jest) leaves its broker JVM and Postgres
 * cluster running: stop those of every earlier run whose owning process is gone, and remove
 * their data. Runs still alive (parallel test runs on one machine) are left alone.
 */
export async function sweepStaleTestInfrastructure(): Promise<void> {
  const entries = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const entry of entries.filter((e) => e.startsWith(ROOT_PREFIX))) {
    const root = join(tmpdir(), entry);
    const owner = Number((await readFile(join(root, OWNER_FILE), 'utf8').catch(() => '')).trim());
    if (owner && isAlive(owner)) continue;
    if (!owner && (await ageMs(root)) < 60 * 60_000) continue; // another run still writing its owner file
    await stopLocalKafka(join(root, 'kafka')).catch(() => undefined);
    const postmaster = Number(
      (await readFile(join(root, 'postgres', 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0],
    );
    if (postmaster && isAlive(postmaster)) process.kill(postmaster, 'SIGQUIT');
    await rm(root, { recursive: true, force: true }).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ageMs(path: string): Promise<number> {
  return stat(path).then(
    (s) => Date.now() - s.mtimeMs,
    () => Infinity,
  );
}
