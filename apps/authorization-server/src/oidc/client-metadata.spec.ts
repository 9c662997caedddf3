import { pkceRequired, validateClientMetadata } from './client-metadata';

describe('pkceRequired (RFC 9700 §2.1.1)', () => {
  it('always for public clients, whatever they or the platform say', () => {
    expect(pkceRequired({ clientAuthMethod: 'none' }, false)).toBe(true);
    expect(pkceRequired({ clientAuthMethod: 'none', require_pkce: false }, false)).toBe(true);
  });

  it("for confidential clients: their own setting, else the platform's default", () => {
    expect(pkceRequired({ clientAuthMethod: 'client_secret_basic' }, false)).toBe(false);
    expect(pkceRequired({ clientAuthMethod: 'client_secret_basic' }, true)).toBe(true);
    expect(pkceRequired({ clientAuthMethod: 'client_secret_basic', require_pkce: true }, false)).toBe(true);
    expect(pkceRequired({ clientAuthMethod: 'private_key_jwt', require_pkce: false }, true)).toBe(false);
  });

  it('refuses a require_pkce that is not a boolean', () => {
    expect(() => validateClientMetadata(undefined, 'require_pkce', 'yes')).toThrow('require_pkce must be a boolean');
  });
});
