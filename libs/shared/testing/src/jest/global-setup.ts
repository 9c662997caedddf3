import { startTestInfrastructure } from '../infrastructure';

/** Starts one Postgres cluster, one Kafka broker and one SMTP server for the whole integration run. */
export default async function globalSetup(): Promise<void> {
  const infra = await startTestInfrastructure();
  process.env.TEST_POSTGRES_ADMIN_URL = infra.postgresAdminUrl;
  process.env.TEST_KAFKA_BROKERS = infra.kafkaBrokers.join(',');
  process.env.TEST_SMTP_URL = infra.smtpUrl;
  process.env.TEST_MAIL_API = infra.mailApi;
  (globalThis as { __TEST_INFRA__?: typeof infra }).__TEST_INFRA__ = infra;
}
