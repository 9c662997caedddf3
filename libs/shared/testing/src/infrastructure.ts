import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// eslint-disable-next-line @nx/enforce-module-boundaries -- loaded by Jest's globalSetup, outside the alias mapper
import { freePort, startLocalKafka, startLocalPostgres } from '../../local-infra/src';

export interface TestInfrastructure {
  postgresAdminUrl: string;
  kafkaBrokers: string[];
  stop(): Promise<void>;
}

/** Real Postgres and a real Kafka broker in a throw-away directory, started in parallel. */
export async function startTestInfrastructure(): Promise<TestInfrastructure> {
  const root = await mkdtemp(join(tmpdir(), 'idp-test-'));
  await chmod(root, 0o755);
  const [postgres, kafka] = await Promise.all([
    freePort().then((port) => startLocalPostgres({ dataDir: join(root, 'postgres'), port })),
    startLocalKafka({ dataDir: join(root, 'kafka') }),
  ]);
  return {
    postgresAdminUrl: postgres.urlFor('postgres'),
    kafkaBrokers: kafka.brokers,
    stop: async () => {
      await Promise.allSettled([postgres.stop(), kafka.stop()]);
      await rm(root, { recursive: true, force: true });
    },
  };
}
