import { createServer } from 'node:http';
import { freePort } from '@platform/local-infra';
import { startBuiltService } from './built-service';
import { createTestDatabase, testKafkaBrokers } from './test-database';

describe('startBuiltService', () => {
  it("does not take another process's service on the same port for its own", async () => {
    // Stands in for a parallel suite's service that already holds the port and answers health checks.
    const port = await freePort();
    const impostor = createServer((_req, res) => res.writeHead(200).end('{"status":"ok"}'));
    await new Promise<void>((resolve) => impostor.listen(port, '127.0.0.1', resolve));
    const db = await createTestDatabase('built_service');
    try {
      await expect(
        startBuiltService(
          'dist/apps/identity-backend/src/main.js',
          {
            DATABASE_URL: db.url,
            KAFKA_BROKERS: testKafkaBrokers().join(','),
            AUTHORIZATION_SERVER_URL: 'http://127.0.0.1:9',
          },
          port,
        ),
      ).rejects.toThrow(/exited with 1 while starting/);
    } finally {
      impostor.close();
      await db.drop();
    }
  });

  it('hands out ports below the ephemeral range, never the same one twice', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) expect(port).toBeLessThan(32_768);
  });
});
