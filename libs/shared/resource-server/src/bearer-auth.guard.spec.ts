import { Controller, Get, type INestApplication, Param } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { ApiExceptionFilter, type ErrorBody } from '@platform/runtime';
import { Authorize, CurrentPrincipal, Public } from './decorators';
import { dpopProof, newDpopKey, startLocalIssuer, type LocalIssuer } from './local-issuer.spec-helper';
import type { Principal } from './principal';
import { ResourceServerModule } from './resource-server.module';
import { TenantFilter, tenantScope } from './tenant-scope';

const whoIs = (p: Principal) => ({ subject: p.subject, kind: p.kind, tenantId: p.tenantId });

@Controller('api/v1/things')
class ThingsController {
  @Get()
  @Authorize({ scopes: ['things.read'], permissions: ['things:read'] })
  list(@CurrentPrincipal() principal: Principal) {
    return whoIs(principal);
  }

  @Get('export')
  @Authorize({ scopes: ['things.read', 'things.export'] })
  export() {
    return { ok: true };
  }

  @Get('undeclared')
  undeclared() {
    return { ok: true };
  }

  @Get('open')
  @Public()
  open() {
    return { ok: true };
  }

  @Get('mine')
  @Authorize({ signedInUser: true })
  mine(@CurrentPrincipal() principal: Principal) {
    return whoIs(principal);
  }
}

@Public()
@Controller('api/v1/catalog')
class CatalogController {
  @Get()
  browse() {
    return { ok: true };
  }

  @Get('admin')
  @Authorize({ permissions: ['catalog:write'] })
  admin() {
    return { ok: true };
  }
}

@Controller('api/v1/tenants/:tenantId/things')
class TenantThingsController {
  @Get()
  @Authorize({ permissions: ['things:read'] })
  list(@Param('tenantId') tenantId: string, @CurrentPrincipal() principal: Principal) {
    return { tenantId: tenantScope(principal, tenantId) };
  }
}

@Controller('api/v1/log')
class LogController {
  @Get()
  @Authorize({ permissions: ['things:read'] })
  list(@TenantFilter() tenantId: string | null) {
    return { tenantId };
  }
}

@Controller()
class OutsideTheApiController {
  @Get('status')
  status() {
    return { ok: true };
  }

  @Get('reports')
  @Authorize({ scopes: ['reports.read'] })
  reports() {
    return { ok: true };
  }

  @Get('internal/v1/ping')
  @Authorize({ scopes: ['identity.internal'] })
  ping() {
    return { ok: true };
  }
}

describe('BearerAuthGuard over HTTP', () => {
  let as: LocalIssuer;
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    as = await startLocalIssuer('urn:things-api');
    const moduleRef = await Test.createTestingModule({
      imports: [ResourceServerModule.forRoot({ issuer: as.issuer, audience: as.audience, jwksUri: as.jwksUri })],
      controllers: [
        ThingsController,
        CatalogController,
        TenantThingsController,
        OutsideTheApiController,
        LogController,
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new ApiExceptionFilter());
    // As the platform runtime mounts it: under /api, yet never behind the guard.
    SwaggerModule.setup('api/docs', app, SwaggerModule.createDocument(app, new DocumentBuilder().build()), {
      jsonDocumentUrl: 'api/docs/openapi.json',
    });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });

  afterAll(async () => {
    await app.close();
    await as.stop();
  });

  const get = async (path: string, token?: string, scheme = 'Bearer', extra: Record<string, string> = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      headers: { ...(token ? { authorization: `${scheme} ${token}` } : {}), ...extra },
    });
    return {
      status: res.status,
      challenge: res.headers.get('www-authenticate'),
      body: (await res.json()) as ErrorBody,
    };
  };
  const clientToken = (scope: string) => as.sign({ sub: 'app', client_id: 'app', scope });
  const userToken = (claims: Record<string, unknown>) => as.sign({ sub: 'user-1', client_id: 'console', ...claims });

  describe('authentication', () => {
    it('answers 401 missing_token with a Bearer and a DPoP challenge when no token is sent', async () => {
      const res = await get('/api/v1/things');
      expect(res).toMatchObject({
        status: 401,
        challenge: 'Bearer, DPoP algs="ES256 ES384 RS256 PS256 EdDSA"',
        body: { error: { code: 'missing_token' } },
      });
    });

    it('answers 401 invalid_token with an invalid_token challenge for a bad token', async () => {
      const res = await get('/api/v1/things', await as.sign({ aud: 'urn:elsewhere', scope: 'things.read' }));
      expect(res.status).toBe(401);
      expect(res.challenge).toMatch(/^Bearer error="invalid_token"/);
      expect(res.body.error).toMatchObject({ code: 'invalid_token', message: expect.stringMatching(/aud/) });
    });

    it('answers 401 invalid_token for another authorization scheme', async () => {
      const res = await get('/api/v1/things', 'dXNlcjpwYXNz', 'Basic');
      expect(res).toMatchObject({ status: 401, body: { error: { code: 'invalid_token' } } });
      expect(res.challenge).toMatch(/^Bearer error="invalid_token"/);
    });

    it('accepts the scheme name in any case (RFC 7235)', async () => {
      expect((await get('/api/v1/things', await clientToken('things.read'), 'bearer')).status).toBe(200);
    });

    it.each(['/INTERNAL/v1/ping', '/API/V1/THINGS', '/Api/v1/things/undeclared'])(
      'protects %s: Express routes paths case-insensitively',
      async (path) => {
        expect(await get(path)).toMatchObject({ status: 401, body: { error: { code: 'missing_token' } } });
      },
    );

    it('protects /internal routes', async () => {
      expect((await get('/internal/v1/ping')).status).toBe(401);
      expect((await get('/internal/v1/ping', await clientToken('identity.internal'))).status).toBe(200);
    });
  });

  describe('sender-constrained tokens (RFC 9449 DPoP, RFC 8705 mTLS)', () => {
    const url = () => `${baseUrl}/api/v1/things`;
    const bound = async () => {
      const key = await newDpopKey();
      const token = await as.sign({ sub: 'app', client_id: 'app', scope: 'things.read', cnf: { jkt: key.jkt } });
      return {
        key,
        token,
        proof: (claims: Record<string, unknown> = {}) => dpopProof(key, { htm: 'GET', htu: url(), token }, claims),
      };
    };

    it('accepts a DPoP-bound token with the DPoP scheme and a valid proof', async () => {
      const { token, proof } = await bound();
      const res = await get('/api/v1/things', token, 'DPoP', { dpop: await proof() });
      expect(res).toMatchObject({ status: 200, body: { subject: 'app' } });
    });

    it('refuses a DPoP-bound token presented as a bearer token, with a DPoP challenge', async () => {
      const { token, proof } = await bound();
      const res = await get('/api/v1/things', token, 'Bearer', { dpop: await proof() });
      expect(res).toMatchObject({ status: 401, body: { error: { code: 'invalid_token' } } });
      expect(res.challenge).toMatch(/^DPoP error="invalid_token", error_description="[^"]+", algs="ES256 /);
    });

    it('refuses the DPoP scheme with a bad proof: invalid_dpop_proof and its challenge', async () => {
      const { token, proof } = await bound();
      for (const dpop of [undefined, await proof({ htm: 'DELETE' }), await proof({ ath: 'x' }), 'not-a-jwt']) {
        const res = await get('/api/v1/things', token, 'DPoP', dpop ? { dpop } : {});
        expect(res).toMatchObject({ status: 401, body: { error: { code: 'invalid_dpop_proof' } } });
        expect(res.challenge).toMatch(/^DPoP error="invalid_dpop_proof", error_description="[^"]+", algs="ES256 /);
      }
    });

    it('refuses a replayed proof', async () => {
      const { token, proof } = await bound();
      const once = await proof();
      expect((await get('/api/v1/things', token, 'dpop', { dpop: once })).status).toBe(200);
      const replay = await get('/api/v1/things', token, 'DPoP', { dpop: once });
      expect(replay).toMatchObject({
        status: 401,
        body: { error: { code: 'invalid_dpop_proof', message: expect.stringMatching(/used before/) } },
      });
    });

    it('checks the proof against the path as requested, without the query', async () => {
      const { token, proof } = await bound();
      expect((await get('/api/v1/things?x=1', token, 'DPoP', { dpop: await proof() })).status).toBe(200);
      const elsewhere = await get('/api/v1/things/mine', token, 'DPoP', { dpop: await proof() });
      expect(elsewhere).toMatchObject({ status: 401, body: { error: { code: 'invalid_dpop_proof' } } });
    });

    it('accepts an unbound token with the DPoP scheme and a valid proof (RFC 9449 §7.2), not without one', async () => {
      const key = await newDpopKey();
      const token = await clientToken('things.read');
      const dpop = await dpopProof(key, { htm: 'GET', htu: url(), token });
      expect((await get('/api/v1/things', token, 'DPoP', { dpop })).status).toBe(200);
      expect((await get('/api/v1/things', token, 'DPoP')).status).toBe(401);
    });

    it('answers insufficient_scope in the DPoP scheme for a DPoP request', async () => {
      const { key, token } = await bound();
      const dpop = await dpopProof(key, { htm: 'GET', htu: `${baseUrl}/api/v1/things/export`, token });
      const res = await get('/api/v1/things/export', token, 'DPoP', { dpop });
      expect(res).toMatchObject({ status: 403, body: { error: { code: 'insufficient_scope' } } });
      expect(res.challenge).toMatch(/^DPoP error="insufficient_scope", algs=/);
    });

    it('refuses an mTLS-bound token (cnf x5t#S256) as a bearer token, saying why', async () => {
      const token = await as.sign({ sub: 'app', client_id: 'app', scope: 'things.read', cnf: { 'x5t#S256': 'abc' } });
      const res = await get('/api/v1/things', token);
      expect(res).toMatchObject({
        status: 401,
        body: { error: { code: 'invalid_token', message: expect.stringMatching(/certificate \(mTLS\)/) } },
      });
    });

    it.each([[{ cnf: 'jkt' }], [{ cnf: {} }], [{ cnf: { jwk: { kty: 'EC' } } }], [{ cnf: { jkt: 42 } }]])(
      'refuses a token with a confirmation it cannot check: %j',
      async (claims) => {
        const token = await as.sign({ sub: 'app', client_id: 'app', scope: 'things.read', ...claims });
        expect(await get('/api/v1/things', token)).toMatchObject({
          status: 401,
          body: { error: { code: 'invalid_token' } },
        });
      },
    );
  });

  describe('authorization', () => {
    it('lets a client in on the required scope', async () => {
      const res = await get('/api/v1/things', await clientToken('openid things.read'));
      expect(res).toMatchObject({ status: 200, body: { subject: 'app', kind: 'client' } });
    });

    it('lets a user in on the required permission', async () => {
      const res = await get('/api/v1/things', await userToken({ tenant_id: 't1', permissions: ['things:read'] }));
      expect(res).toMatchObject({ status: 200, body: { subject: 'user-1', kind: 'user', tenantId: 't1' } });
    });

    it('answers 403 insufficient_scope when neither scopes nor permissions suffice', async () => {
      const res = await get(
        '/api/v1/things',
        await userToken({ scope: 'things.write', permissions: ['things:write'] }),
      );
      expect(res).toMatchObject({
        status: 403,
        challenge: 'Bearer error="insufficient_scope"',
        body: { error: { code: 'insufficient_scope' } },
      });
    });

    it("does not let a user's token in on its app's scopes alone: users need the permission", async () => {
      const res = await get('/api/v1/things', await userToken({ tenant_id: 't1', scope: 'things.read' }));
      expect(res).toMatchObject({ status: 403, body: { error: { code: 'insufficient_scope' } } });
    });

    it('requires all of the listed scopes', async () => {
      expect((await get('/api/v1/things/export', await clientToken('things.read'))).status).toBe(403);
      expect((await get('/api/v1/things/export', await clientToken('things.read things.export'))).status).toBe(200);
    });

    it('refuses an API route that declares no requirement, even to a valid token', async () => {
      const res = await get('/api/v1/things/undeclared', await clientToken('things.read'));
      expect(res).toMatchObject({ status: 403, body: { error: { code: 'insufficient_scope' } } });
    });

    it('lets signed-in tenant users into signedInUser routes, but not clients', async () => {
      expect((await get('/api/v1/things/mine', await userToken({ tenant_id: 't1' }))).status).toBe(200);
      expect((await get('/api/v1/things/mine', await clientToken('things.read'))).status).toBe(403);
    });
  });

  describe('routes left open', () => {
    it('serves @Public routes without a token, ignoring a bad one', async () => {
      expect((await get('/api/v1/things/open')).status).toBe(200);
      expect((await get('/api/v1/things/open', 'not-a-jwt')).status).toBe(200);
    });

    it('serves a @Public controller, except its methods that declare @Authorize', async () => {
      expect((await get('/api/v1/catalog')).status).toBe(200);
      expect((await get('/api/v1/catalog/admin')).status).toBe(401);
    });

    it('serves routes outside /api and /internal without a token', async () => {
      expect(await get('/status')).toMatchObject({ status: 200, body: { ok: true } });
    });

    it('still enforces @Authorize on a route outside /api and /internal', async () => {
      expect((await get('/reports')).status).toBe(401);
      expect((await get('/reports', await clientToken('reports.read'))).status).toBe(200);
    });

    it('serves the OpenAPI document under /api/docs without a token', async () => {
      expect((await get('/api/docs/openapi.json')).status).toBe(200);
    });
  });

  describe('tenant scoping', () => {
    const member = () => userToken({ tenant_id: 't1', permissions: ['things:read'] });

    it('lets a member read their own tenant', async () => {
      expect(await get('/api/v1/tenants/t1/things', await member())).toMatchObject({
        status: 200,
        body: { tenantId: 't1' },
      });
    });

    it('answers 404 not_found (not 403) for another tenant', async () => {
      const res = await get('/api/v1/tenants/t2/things', await member());
      expect(res).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    });

    it('filters cross-tenant reads: members to their tenant, operators to all tenants or the one named', async () => {
      expect((await get('/api/v1/log', await member())).body).toEqual({ tenantId: 't1' });
      expect((await get('/api/v1/log?tenantId=00000000-0000-4000-8000-000000000002', await member())).status).toBe(404);
      const operator = await userToken({ sub: 'operator', permissions: ['platform:admin', 'things:read'] });
      expect((await get('/api/v1/log', operator)).body).toEqual({ tenantId: null });
      const named = await get('/api/v1/log?tenantId=00000000-0000-4000-8000-000000000002', operator);
      expect(named.body).toEqual({ tenantId: '00000000-0000-4000-8000-000000000002' });
      expect((await get('/api/v1/log?tenantId=nope', operator)).status).toBe(404);
    });

    it('lets a platform administrator read any tenant', async () => {
      const operator = await userToken({ sub: 'operator', permissions: ['platform:admin', 'things:read'] });
      expect(await get('/api/v1/tenants/t2/things', operator)).toMatchObject({
        status: 200,
        body: { tenantId: 't2' },
      });
    });
  });
});
