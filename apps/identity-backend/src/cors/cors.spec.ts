import { createServer, type Server } from 'node:http';
import { allowedOrigins, corsMiddleware, isExactOrigin } from './cors';

describe('CORS of the identity backend', () => {
  it('allows the configured origins, then asks for the others once per origin (cached)', async () => {
    const asked: string[] = [];
    const isAllowed = allowedOrigins({
      configured: ['https://console.example'],
      registered: async (origin) => (asked.push(origin), origin === 'https://spa.example'),
      ttlMs: 60_000,
      negativeTtlMs: 60_000,
    });
    expect(await isAllowed('https://console.example')).toBe(true);
    expect(await Promise.all([isAllowed('https://spa.example'), isAllowed('https://spa.example')])).toEqual([
      true,
      true,
    ]);
    expect(await isAllowed('https://evil.example')).toBe(false);
    expect(await isAllowed('https://evil.example')).toBe(false);
    expect(asked).toEqual(['https://spa.example', 'https://evil.example']);
  });

  it('never asks about what is not an exact origin, and a failed look-up refuses', async () => {
    const isAllowed = allowedOrigins({
      configured: [],
      registered: async () => {
        throw new Error('authorization server down');
      },
      ttlMs: 60_000,
      negativeTtlMs: 1,
    });
    expect(isExactOrigin('null')).toBe(false);
    expect(isExactOrigin('https://spa.example/path')).toBe(false);
    expect(await isAllowed('https://spa.example')).toBe(false);
  });

  describe('the middleware', () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      const cors = corsMiddleware(async (origin) => origin === 'https://spa.example');
      server = createServer((req, res) =>
        cors(req, res, () => {
          res.statusCode = 401;
          res.end('{}');
        }),
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    const preflight = (origin: string) =>
      fetch(`${base}/api/v1/me`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'PATCH',
          'access-control-request-headers': 'authorization',
        },
      });

    it('answers an allowed preflight with 204, the origin echoed and no credentials', async () => {
      const res = await preflight('https://spa.example');
      expect(res.status).toBe(204);
      expect(Object.fromEntries(res.headers)).toMatchObject({
        'access-control-allow-origin': 'https://spa.example',
        'access-control-allow-methods': expect.stringContaining('PATCH'),
        'access-control-allow-headers': expect.stringContaining('authorization'),
        vary: 'Origin',
      });
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    });

    it('passes other origins on without any CORS header', async () => {
      const res = await preflight('https://evil.example');
      expect(res.status).toBe(401);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('adds the origin to the actual response of an allowed origin', async () => {
      const res = await fetch(`${base}/api/v1/me`, { headers: { origin: 'https://spa.example' } });
      expect(res.status).toBe(401);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://spa.example');
      expect(res.headers.get('access-control-expose-headers')).toContain('www-authenticate');
    });
  });
});
