import type { OutboundGuard, ResolvedAddress } from '@platform/outbound';
import { startIdpTestServer, v4 } from '../idp-test-server.spec-helper';
import { probeDiscovery } from './test-idp-connection.query';

const DNS: Record<string, ResolvedAddress[]> = { 'idp.test': v4('127.0.0.1'), 'intranet.test': v4('10.0.0.7') };

describe('probeDiscovery (an identity provider connection test)', () => {
  let issuer: string;
  let guard: OutboundGuard;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ issuer, guard, close } = await startIdpTestServer((req, res) => {
      const jwksUri = req.url!.startsWith('/private-keys')
        ? 'http://intranet.test/jwks'
        : `${issuer}${req.url!.split('/.well-known')[0]}/jwks`;
      if (req.url!.endsWith('/jwks')) return res.writeHead(200).end(JSON.stringify({ keys: [] }));
      const at = `${issuer}${req.url!.split('/.well-known')[0]}`;
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          issuer: at,
          authorization_endpoint: `${at}/authorize`,
          token_endpoint: `${at}/token`,
          jwks_uri: jwksUri,
        }),
      );
    }, DNS));
  });

  afterAll(() => close());

  it('succeeds on a provider whose discovery and JWKS are reachable', async () => {
    await expect(probeDiscovery(guard, `${issuer}/ok`, { allowInsecure: true })).resolves.toMatchObject({
      ok: true,
      code: 'ok',
      jwksKeys: 0,
    });
  });

  it('refuses a plain-http issuer where sign-in would (private network not allowed)', async () => {
    await expect(probeDiscovery(guard, `${issuer}/ok`, { allowInsecure: false })).resolves.toMatchObject({
      ok: false,
      code: 'insecure_issuer',
      httpStatus: null,
    });
  });

  it('calls no private address: neither the issuer nor a JWKS the document points inwards', async () => {
    await expect(probeDiscovery(guard, 'http://127.0.0.2/', { allowInsecure: true })).resolves.toMatchObject({
      ok: false,
      code: 'target_forbidden',
    });
    await expect(probeDiscovery(guard, `${issuer}/private-keys`, { allowInsecure: true })).resolves.toMatchObject({
      ok: false,
      code: 'target_forbidden',
      message: expect.stringContaining('intranet.test is not on the public internet'),
    });
  });
});
