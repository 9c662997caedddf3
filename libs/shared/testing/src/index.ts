export { startService, type RunningService } from './running-service';
export { createTestDatabase, testKafkaBrokers, type TestDatabase } from './test-database';
export { expectNoSchemaDrift, migratedDataSource } from './migrated-data-source';
export { fetchJson, jsonBody, type JsonResponse } from './http';
export { TestTokenIssuer, type MintOptions, type TestTokenIssuerOptions } from './test-token-issuer';
export { mailsTo, testSmtpUrl, waitForMail, type ReceivedMail } from './mailbox';
export { formatLoad, measureLoad, type LoadStats } from './load';
export { parseMetrics, scrapeMetric, type MetricSample } from './metrics';
export { TcpProxy } from './tcp-proxy';
