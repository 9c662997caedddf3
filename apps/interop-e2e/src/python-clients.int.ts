import { workspaceRoot } from '@platform/testing';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tampered } from './support/jwt';
import { type Platform, startPlatform } from './support/platform';
import { INTEROP_CACHE } from './support/processes';

const REPORTS_API = 'https://reports.python.example';
const LEGACY_API = 'https://legacy.python.example';
const LEDGER_API = 'https://ledger.python.example';

/** Runs a script of tools/interop/python in the pinned venv; it prints one JSON object. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a script's JSON, asserted field by field
async function python(script: string, args: string[], input?: string): Promise<Record<string, any>> {
  const run = promisify(execFile)(
    join(INTEROP_CACHE, 'python', 'bin', 'python'),
    [join(workspaceRoot(), 'tools', 'interop', 'python', script), ...args],
    { timeout: 30_000 },
  );
  if (input !== undefined) run.child.stdin!.end(input);
  const { stdout } = await run;
  return JSON.parse(stdout);
}

/** Authlib (client credentials, introspection, revocation) and PyJWT's PyJWKClient, on their defaults. */
describe('Python: Authlib and PyJWT', () => {
  let platform: Platform;
  let service: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    platform = await startPlatform('interop_python');
    await platform.createApi({ identifier: REPORTS_API, name: 'Reports', scopes: ['reports.read'] });
    // A gateway that accepts RSA only (AWS API Gateway JWT authorizers, older libraries): the API chooses RS256.
    await platform.createApi({ identifier: LEGACY_API, name: 'Legacy', scopes: ['legacy.read'], signingAlg: 'RS256' });
    await platform.createApi({
      identifier: LEDGER_API,
      name: 'Ledger',
      scopes: ['ledger.read'],
      tokenFormat: 'opaque',
    });
    service = await platform.createClient({
      name: 'Reporting job',
      type: 'service',
      scopes: ['reports.read', 'legacy.read', 'ledger.read'],
    });
  });

  afterAll(() => platform?.stop());

  const token = (scope: string, resource: string) => platform.clientCredentials(service, scope, resource);
  const verify = (jwt: string, audience: string, algorithms: string) =>
    python('pyjwt_verify.py', [`${platform.issuer}/jwks`, platform.issuer, audience, algorithms], jwt);

  const authlib = (scope: string, resource: string, ...flags: string[]) =>
    python('authlib_client.py', [platform.issuer, service.clientId, service.clientSecret, scope, resource, ...flags]);

  // A client-credentials JWT has no grant to revoke: the platform answers RFC 7009's unsupported_token_type.
  it('Authlib: client credentials, then introspection of the JWT access token', async () => {
    const out = await authlib('reports.read', REPORTS_API);
    expect(out.token).toMatchObject({ token_type: 'Bearer', scope: 'reports.read' });
    expect(out.access_token.split('.')).toHaveLength(3);
    expect(out.introspection).toMatchObject({
      status: 200,
      body: { active: true, client_id: service.clientId, scope: 'reports.read', aud: REPORTS_API },
    });
  });

  it('Authlib: client credentials, introspection (active), revocation, introspection (inactive) of an opaque token', async () => {
    const out = await authlib('ledger.read', LEDGER_API, '--revoke');
    expect(out.access_token.split('.')).toHaveLength(1);
    expect(out.introspection).toMatchObject({ status: 200, body: { active: true, client_id: service.clientId } });
    expect(out.revocation.status).toBe(200);
    expect(out.introspection_after_revocation).toEqual({ status: 200, body: { active: false } });
  });

  it('PyJWKClient verifies our access token against /jwks, and refuses a tampered one', async () => {
    const jwt = await token('reports.read', REPORTS_API);
    const verified = await verify(jwt, REPORTS_API, 'ES256,RS256,EdDSA');
    expect(verified).toMatchObject({
      ok: true,
      header: { typ: 'at+jwt', alg: 'ES256' },
      claims: { iss: platform.issuer, aud: REPORTS_API, client_id: service.clientId, scope: 'reports.read' },
    });
    expect(await verify(tampered(jwt, { scope: 'reports.admin' }), REPORTS_API, 'ES256')).toMatchObject({
      ok: false,
      error: 'InvalidSignatureError',
    });
  });

  it('an RS256-only gateway: PyJWT with algorithms=["RS256"] verifies the tokens of an API registered with signingAlg RS256', async () => {
    const rsa = await verify(await token('legacy.read', LEGACY_API), LEGACY_API, 'RS256');
    expect(rsa).toMatchObject({ ok: true, header: { alg: 'RS256', typ: 'at+jwt' }, claims: { aud: LEGACY_API } });
    // An API left on the default (ES256) is not for such a gateway: PyJWT says so.
    const ec = await verify(await token('reports.read', REPORTS_API), REPORTS_API, 'RS256');
    expect(ec).toMatchObject({ ok: false, error: 'InvalidAlgorithmError' });
  });
});
