import { ConfigError } from '@platform/config';
import { loadAuthorizationServerConfig } from './config';

const DATABASE_URL = 'postgres://authz:pw@127.0.0.1:5432/authz';

describe('authorization-server configuration', () => {
  it('defaults to port 3000, a local issuer and a local identity backend', () => {
    expect(loadAuthorizationServerConfig({ DATABASE_URL })).toMatchObject({
      PORT: 3000,
      ISSUER: 'http://127.0.0.1:3000',
      IDENTITY_BACKEND_URL: 'http://127.0.0.1:3001',
    });
  });

  it('fails fast on an issuer that is not a URL', () => {
    expect(() => loadAuthorizationServerConfig({ DATABASE_URL, ISSUER: 'auth server' })).toThrow(
      new ConfigError('Invalid configuration: ISSUER must be an http(s):// URL (got "auth server")'),
    );
  });

  it('takes an mTLS client certificate header only from behind a trusted proxy', () => {
    const header = { DATABASE_URL, MTLS_CLIENT_CERTIFICATE_HEADER: 'x-ssl-client-cert' };
    expect(() => loadAuthorizationServerConfig(header)).toThrow(/MTLS_CLIENT_CERTIFICATE_HEADER needs TRUST_PROXY/);
    expect(loadAuthorizationServerConfig({ ...header, TRUST_PROXY: 'true' })).toMatchObject(header);
    expect(() => loadAuthorizationServerConfig({ DATABASE_URL, MTLS_CLIENT_CA_FILE: '/ca.pem' })).toThrow(
      /MTLS_CLIENT_CA_FILE needs MTLS_CLIENT_CERTIFICATE_HEADER/,
    );
  });
});
