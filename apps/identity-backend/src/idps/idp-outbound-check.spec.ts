import type { OutboundGuard, ResolvedAddress } from '@platform/outbound';
import { assertIdpOutboundTargets } from './idp-outbound-check';
import { startIdpTestServer, v4 } from './idp-test-server.spec-helper';

const DNS: Record<string, ResolvedAddress[]> = {
  'idp.test': v4('127.0.0.1'),
  'api.idp.test': v4('93.184.215.14'),
  'intranet.test': v4('10.0.0.7'),
};

describe('assertIdpOutboundTargets', () => {
  let issuer: string;
  let documents: Record<string, unknown>;
  let guard: OutboundGuard;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ issuer, guard, close } = await startIdpTestServer((req, res) => {
      if (req.url === '/redirecting/.well-known/openid-configuration') {
        return res.writeHead(302, { location: 'http://127.0.0.2/.well-known/openid-configuration' }).end();
      }
      const document = documents[req.url ?? ''];
      if (!document) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document));
    }, DNS));
  });

  afterAll(() => close());

  const discovery = (path: string, endpoints: Record<string, string>) => {
    documents = { [`${path}/.well-known/openid-configuration`]: { issuer: `${issuer}${path}`, ...endpoints } };
    return `${issuer}${path}`;
  };

  const refused = (field: string, reason: string) =>
    expect.objectContaining({ status: 400, code: 'outbound_target_forbidden', details: { field, reason } });

  it('accepts an issuer whose server-side endpoints are public', async () => {
    const at = discovery('/ok', {
      authorization_endpoint: 'http://127.0.0.2/authorize', // the browser's, not fetched by the server
      token_endpoint: 'https://api.idp.test/token',
      jwks_uri: 'https://api.idp.test/jwks',
    });
    await expect(assertIdpOutboundTargets(guard, at)).resolves.toBeUndefined();
  });

  it.each([
    ['token_endpoint', 'http://169.254.169.254/latest/meta-data/', 'linkLocal'],
    ['userinfo_endpoint', 'https://[::1]/userinfo', 'loopback'],
    ['jwks_uri', 'https://intranet.test/jwks', 'private'],
  ])('refuses a discovery document whose %s is %s', async (field, url, reason) => {
    const at = discovery(`/${field}`, { token_endpoint: 'https://api.idp.test/token', [field]: url });
    await expect(assertIdpOutboundTargets(guard, at)).rejects.toEqual(refused(field, reason));
  });

  it('refuses an issuer whose discovery redirects to a private address', async () => {
    await expect(assertIdpOutboundTargets(guard, `${issuer}/redirecting`)).rejects.toEqual(
      refused('issuer', 'loopback'),
    );
  });

  it('refuses a loopback issuer without fetching, and lets an unresolvable or absent one through', async () => {
    await expect(assertIdpOutboundTargets(guard, 'https://127.0.0.2:8443/')).rejects.toEqual(
      refused('issuer', 'loopback'),
    );
    await expect(assertIdpOutboundTargets(guard, 'https://sso.nowhere.test')).resolves.toBeUndefined();
    documents = {};
    await expect(assertIdpOutboundTargets(guard, `${issuer}/missing`)).resolves.toBeUndefined();
  });
});
