import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// eslint-disable-next-line @nx/enforce-module-boundaries -- loaded by Jest's globalSetup, outside the alias mapper
import { freePort, startLocalKafka, startLocalPostgres } from '../../local-infra/src';
import { startSmtpTestServer } from './smtp-test-server';

export interface TestInfrastructure {
  postgresAdminUrl: string;
  kafkaBrokers: string[];
  smtpUrl: string;
  mailApi: string;
  stop(): Promise<void>;
}

/** Real Postgres, a real Kafka broker and a real SMTP server, started in parallel; data in a throw-away directory. */
export async function startTestInfrastructure(): Promise<TestInfrastructure> {
  const root = await mkdtemp(join(tmpdir(), 'idp-test-'));
  await chmod(root, 0o755);
  const [postgres, kafka, smtp] = await Promise.all([
    freePort().then((port) => startLocalPostgres({ dataDir: join(root, 'postgres'), port })),
    startLocalKafka({ dataDir: join(root, 'kafka') }),
    startSmtpTestServer(),
  ]);
  return {
    postgresAdminUrl: postgres.urlFor('postgres'),
    kafkaBrokers: kafka.brokers,
    smtpUrl: smtp.smtpUrl,
    mailApi: smtp.mailApi,
    stop: async () => {
      await Promise.allSettled([postgres.stop(), kafka.stop(), smtp.stop()]);
      await rm(root, { recursive: true, force: true });
    },
  };
}
