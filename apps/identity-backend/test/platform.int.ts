import {
  createTestDatabase,
  fetchJson,
  jsonBody,
  startService,
  testKafkaBrokers,
  type RunningService,
  type TestDatabase,
} from '@platform/testing';
import { identityBackend } from '../src/identity-backend';

describe('identity-backend over HTTP (real Postgres and Kafka)', () => {
  let db: TestDatabase;
  let service: RunningService;

  beforeAll(async () => {
    db = await createTestDatabase('identity');
    service = await startService(identityBackend, {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      AUTHORIZATION_SERVER_URL: 'http://127.0.0.1:9', // nothing listens: must show as degraded only
    });
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('is live', async () => {
    const res = await fetch(`${service.baseUrl}/health/live`);
    expect(res.status).toBe(200);
  });

  it('is ready with database and migrations up, Kafka up and the absent peer only degraded', async () => {
    const { status, body } = await fetchJson(`${service.baseUrl}/health/ready`);
    expect(status).toBe(200);
    expect(body.details).toMatchObject({
      database: { status: 'up' },
      migrations: { status: 'up' },
      kafka: { status: 'up', reachable: true },
      'authorization-server': { status: 'degraded' },
    });
  });

  it('serves Prometheus metrics including per-route request timings', async () => {
    await fetch(`${service.baseUrl}/health/live`);
    const res = await fetch(`${service.baseUrl}/metrics`);
    const text = await res.text();
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/health\/live"[^}]*\} \d+/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('publishes its OpenAPI document', async () => {
    const { body: doc } = await fetchJson(`${service.baseUrl}/api/docs/openapi.json`);
    expect(doc.info.title).toBe('Identity Backend');
    expect(Object.keys(doc.paths)).toContain('/health/ready');
    expect((await fetch(`${service.baseUrl}/api/docs`)).status).toBe(200);
  });

  it('tags each response with a request id, honouring a sane incoming one', async () => {
    const generated = await fetch(`${service.baseUrl}/health/live`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const passed = await fetch(`${service.baseUrl}/health/live`, { headers: { 'X-Request-Id': 'gw-123.abc' } });
    expect(passed.headers.get('x-request-id')).toBe('gw-123.abc');
    const hostile = await fetch(`${service.baseUrl}/health/live`, { headers: { 'X-Request-Id': 'a b<script>' } });
    expect(hostile.headers.get('x-request-id')).not.toContain('<');
  });

  it('answers unknown routes, malformed JSON and oversized bodies with coded 4xx errors', async () => {
    const missing = await fetchJson(`${service.baseUrl}/api/v1/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'not_found', requestId: expect.any(String) });

    const malformed = await fetchJson(`${service.baseUrl}/api/v1/nothing-here`, jsonBody('{"broken":'));
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('malformed_json');

    const huge = await fetchJson(`${service.baseUrl}/api/v1/nothing-here`, jsonBody({ blob: 'x'.repeat(1024 * 1024) }));
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
  });
});
