import { forbiddenRangeOf, OutboundGuard, type ResolvedAddress } from '@platform/outbound';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { probeDiscovery } from './test-idp-connection.query';

const v4 = (address: string): ResolvedAddress[] => [{ address, family: 4 }];
const DNS: Record<string, ResolvedAddress[]> = { 'idp.test': v4('127.0.0.1'), 'intranet.test': v4('10.0.0.7') };

describe('probeDiscovery (an identity provider connection test)', () => {
  let server: Server;
  let issuer: string;
  let guard: OutboundGuard;

  beforeAll(async () => {
    server = createServer((req, res) => {
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
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://idp.test:${(server.address() as AddressInfo).port}`;
    // 127.0.0.1 (as idp.test) stands in for a public address; the rest is the real policy.
    guard = new OutboundGuard({
      resolver: async (name) => DNS[name] ?? Promise.reject(new Error(`ENOTFOUND ${name}`)),
      addressPolicy: (address) => (address === '127.0.0.1' ? null : forbiddenRangeOf(address)),
    });
  });

  afterAll(async () => {
    await guard.close();
    await new Promise((resolve) => server.close(resolve));
  });

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
