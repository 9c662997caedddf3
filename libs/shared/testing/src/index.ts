export { startService, type RunningService } from './running-service';
export { createMigratedTestDatabase, createTestDatabase, testKafkaBrokers, type TestDatabase } from './test-database';
export { expectNoSchemaDrift, migratedDataSource } from './migrated-data-source';
export { fetchJson, fetchJsonWithBearer, jsonBody, type JsonResponse } from './http';
export { TestTokenIssuer, type MintOptions, type TestTokenIssuerOptions } from './test-token-issuer';
export { mailsTo, testSmtpUrl, waitForMail, type ReceivedMail } from './mailbox';
export { migrateBuiltService, startBuiltService, type BuiltService } from './built-service';
export { Browser, formAction, formValue, type BrowserResponse } from './browser';
export { formatLoad, measureLoad, type LoadStats } from './load';
export { postgresPids, processCpuMs } from './process-cpu';
export { transactionsPerOperation } from './pg-transactions';
export { sqlRows } from './sql-rows';
export { parseMetrics, scrapeMetric, type MetricSample } from './metrics';
export { TcpProxy } from './tcp-proxy';
export { OtlpReceiver, SpanKinds, type ReceivedSpan } from './otlp-receiver';
export { RoundRobinProxy } from './round-robin-proxy';
export { consumerGroupAtTopicEnd } from './consumer-groups';
export { readTopicsFromStart } from './read-topics';
export { eventually, type EventuallyOptions } from './eventually';
export { suiteFixture } from './suite-fixture';
export { addPlatformAuthenticator, type VirtualCredential } from './webauthn';
// The end-to-end suites' one window onto the platform's libraries (the boundary rule lets type:e2e
// projects import only @platform/contracts and @platform/testing).
export { freePort, workspaceRoot } from '@platform/local-infra';
export { Keyring, sha256Hex } from '@platform/crypto';
export { createKafkaClient, ensureTopics } from '@platform/events';
