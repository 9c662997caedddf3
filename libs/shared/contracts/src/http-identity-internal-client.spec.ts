import { createServer, type Server } from 'node:http';
import { CircuitBreaker } from './circuit-breaker';
import { HttpIdentityInternalClient } from './http-identity-internal-client';

describe('HttpIdentityInternalClient', () => {
  let server: Server;
  let baseUrl: string;
  let responses: { status: number; body: unknown; delayMs?: number }[];
  let requests: { method: string; url: string; auth: string | undefined }[];

  beforeEach(async () => {
    responses = [];
    requests = [];
    server = createServer((req, res) => {
      requests.push({ method: req.method!, url: req.url!, auth: req.headers.authorization });
      const next = responses.shift() ?? { status: 500, body: {} };
      setTimeout(
        () => res.writeHead(next.status, { 'content-type': 'application/json' }).end(JSON.stringify(next.body)),
        next.delayMs ?? 0,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  afterEach(() => new Promise((resolve) => server.close(resolve)));

  // A timeout no answer of this local server reaches on a busy machine (300 ms once did: a 400
  // answer became "unavailable"); the hanging backend below takes far longer.
  const client = (breaker = new CircuitBreaker(3, 60_000)) =>
    new HttpIdentityInternalClient({
      baseUrl,
      token: async () => 'service-token',
      timeoutMs: 2_000,
      readRetries: 2,
      breaker,
    });

  it('sends the service token and returns the answer', async () => {
    responses.push({ status: 200, body: { sub: 'u1', tenant_id: 't1', roles: [], permissions: [] } });
    await expect(client().userClaims('u1', ['openid', 'email'])).resolves.toMatchObject({ sub: 'u1' });
    expect(requests[0]).toEqual({
      method: 'GET',
      url: '/internal/v1/users/u1/claims?scope=openid+email',
      auth: 'Bearer service-token',
    });
  });

  it('retries an idempotent read after a 5xx', async () => {
    responses.push({ status: 503, body: {} }, { status: 200, body: { sub: 'u1' } });
    await expect(client().userClaims('u1', ['openid'])).resolves.toMatchObject({ sub: 'u1' });
    expect(requests).toHaveLength(2);
  });

  it('never repeats a credential check', async () => {
    responses.push({ status: 503, body: {} }, { status: 200, body: {} });
    await expect(
      client().verifyCredentials({ tenant: 't', login: 'a', password: 'b', clientIp: '127.0.0.1' }),
    ).rejects.toMatchObject({
      failure: 'unavailable',
    });
    expect(requests).toHaveLength(1);
  });

  it('turns domain answers into typed failures without retrying', async () => {
    responses.push({ status: 401, body: { error: { code: 'invalid_credentials', message: 'Invalid credentials' } } });
    await expect(
      client().verifyCredentials({ tenant: 't', login: 'a', password: 'b', clientIp: '127.0.0.1' }),
    ).rejects.toMatchObject({
      failure: 'invalid_credentials',
    });
    responses.push({
      status: 429,
      body: { error: { code: 'too_many_attempts', message: 'slow down', details: { retryAfter: 42 } } },
    });
    await expect(
      client().verifyCredentials({ tenant: 't', login: 'a', password: 'b', clientIp: '127.0.0.1' }),
    ).rejects.toMatchObject({
      failure: 'too_many_attempts',
      retryAfterSeconds: 42,
    });
  });

  it('times out a hanging backend', async () => {
    responses.push({ status: 200, body: {}, delayMs: 10_000 });
    await expect(
      client().verifyMfa({ tenantId: 't', userId: 'u', method: 'totp', code: '123456' }),
    ).rejects.toMatchObject({
      failure: 'unavailable',
    });
  });

  it('gives calls that hash passwords their own, longer timeout than reads', async () => {
    const slowHashing = new HttpIdentityInternalClient({
      baseUrl,
      token: async () => 'service-token',
      timeoutMs: 100,
      credentialTimeoutMs: 5_000,
    });
    responses.push({ status: 204, body: {}, delayMs: 400 });
    await expect(
      slowHashing.changePassword({ tenantId: 't', userId: 'u', currentPassword: 'a', newPassword: 'b' }),
    ).resolves.toBeUndefined();
    responses.push(
      { status: 200, body: {}, delayMs: 400 },
      { status: 200, body: {}, delayMs: 400 },
      { status: 200, body: {}, delayMs: 400 },
    );
    await expect(slowHashing.tenant('acme')).rejects.toMatchObject({ failure: 'unavailable' });
  });

  it('opens the circuit after repeated outages and fails fast without calling', async () => {
    const breaker = new CircuitBreaker(3, 60_000);
    const c = client(breaker);
    for (let i = 0; i < 3; i++) {
      await expect(c.verifyMfa({ tenantId: 't', userId: 'u', method: 'totp', code: '1' })).rejects.toMatchObject({
        failure: 'unavailable',
      });
    }
    const before = requests.length;
    await expect(c.verifyMfa({ tenantId: 't', userId: 'u', method: 'totp', code: '1' })).rejects.toMatchObject({
      failure: 'unavailable',
    });
    expect(requests.length).toBe(before);
    expect(breaker.isOpen).toBe(true);
  });

  it('does not count domain answers against the circuit', async () => {
    const breaker = new CircuitBreaker(2, 60_000);
    for (let i = 0; i < 3; i++) responses.push({ status: 401, body: { error: { code: 'invalid_mfa_code' } } });
    for (let i = 0; i < 3; i++) {
      await expect(
        client(breaker).verifyMfa({ tenantId: 't', userId: 'u', method: 'totp', code: '1' }),
      ).rejects.toMatchObject({
        failure: 'invalid_mfa_code',
      });
    }
    expect(breaker.isOpen).toBe(false);
  });

  it("treats a refused request (400) as the caller's problem: no retry, circuit stays closed", async () => {
    const breaker = new CircuitBreaker(2, 60_000);
    for (let i = 0; i < 3; i++) {
      responses.push({ status: 400, body: { error: { code: 'validation_failed', message: 'login is too long' } } });
    }
    for (let i = 0; i < 3; i++) {
      await expect(
        client(breaker).verifyCredentials({
          tenant: 't',
          login: 'x'.repeat(400),
          password: 'p',
          clientIp: '127.0.0.1',
        }),
      ).rejects.toMatchObject({ failure: 'invalid_request' });
    }
    expect(requests).toHaveLength(3);
    expect(breaker.isOpen).toBe(false);
  });
});
