import { ConfigError } from '@platform/config';
import { loadIdentityBackendConfig } from './config';

const DATABASE_URL = 'postgres://identity:pw@127.0.0.1:5432/identity';

describe('identity-backend configuration', () => {
  it('defaults to port 3001 and a local authorization server', () => {
    expect(loadIdentityBackendConfig({ DATABASE_URL })).toMatchObject({
      PORT: 3001,
      AUTHORIZATION_SERVER_URL: 'http://127.0.0.1:3000',
    });
  });

  it('normalizes the authorization server URL without a trailing slash', () => {
    expect(
      loadIdentityBackendConfig({ DATABASE_URL, AUTHORIZATION_SERVER_URL: 'https://auth.example.com/' })
        .AUTHORIZATION_SERVER_URL,
    ).toBe('https://auth.example.com');
  });

  it('fails fast on a non-http authorization server URL', () => {
    expect(() => loadIdentityBackendConfig({ DATABASE_URL, AUTHORIZATION_SERVER_URL: 'ftp://x' })).toThrow(ConfigError);
  });
});

describe('identity-backend token and password settings', () => {
  it('derives the token issuer and JWKS URL from the authorization server URL', () => {
    expect(
      loadIdentityBackendConfig({ DATABASE_URL, AUTHORIZATION_SERVER_URL: 'https://auth.example.com' }),
    ).toMatchObject({
      TOKEN_ISSUER: 'https://auth.example.com',
      JWKS_URL: 'https://auth.example.com/jwks',
      BCRYPT_COST: 12,
    });
  });

  it('refuses a bcrypt cost below 12 in production', () => {
    expect(() => loadIdentityBackendConfig({ DATABASE_URL, NODE_ENV: 'production', BCRYPT_COST: '10' })).toThrow(
      /BCRYPT_COST must be at least 12 in production/,
    );
    expect(loadIdentityBackendConfig({ DATABASE_URL, BCRYPT_COST: '4' }).BCRYPT_COST).toBe(4);
  });
});

describe('identity-backend secrets at rest', () => {
  it('requires data-encryption keys in production and validates their format', () => {
    expect(() => loadIdentityBackendConfig({ DATABASE_URL, NODE_ENV: 'production' })).toThrow(
      /DATA_ENCRYPTION_KEYS is required in production/,
    );
    expect(() => loadIdentityBackendConfig({ DATABASE_URL, DATA_ENCRYPTION_KEYS: 'k1:short' })).toThrow(
      /DATA_ENCRYPTION_KEYS must be kid:<32 bytes base64>/,
    );
    const keys = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
    expect(
      loadIdentityBackendConfig({ DATABASE_URL, NODE_ENV: 'production', DATA_ENCRYPTION_KEYS: keys })
        .DATA_ENCRYPTION_KEYS,
    ).toBe(keys);
  });
});
