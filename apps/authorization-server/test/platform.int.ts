import { createTestDatabase, fetchJson, startService, type RunningService, type TestDatabase } from '@platform/testing';
import { authorizationServer } from '../src/authorization-server';

describe('authorization-server over HTTP (real Postgres, Kafka not configured)', () => {
  let db: TestDatabase;
  let service: RunningService;

  beforeAll(async () => {
    db = await createTestDatabase('authz');
    service = await startService(authorizationServer, {
      DATABASE_URL: db.url,
      IDENTITY_BACKEND_URL: 'http://127.0.0.1:9',
    });
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('stays ready without Kafka and without the identity backend, reporting both as degraded', async () => {
    const { status, body } = await fetchJson(`${service.baseUrl}/health/ready`);
    expect(status).toBe(200);
    expect(body.details).toMatchObject({
      database: { status: 'up' },
      migrations: { status: 'up' },
      kafka: { status: 'degraded', configured: false },
      'identity-backend': { status: 'degraded' },
    });
  });

  it('publishes its OpenAPI document', async () => {
    const { body: doc } = await fetchJson(`${service.baseUrl}/api/docs/openapi.json`);
    expect(doc.info.title).toBe('Authorization Server');
  });
});
