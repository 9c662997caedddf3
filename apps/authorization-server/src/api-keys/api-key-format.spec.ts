import { apiKeyId, generateApiKey, looksLikeApiKey } from './api-key-format';

describe('API key format', () => {
  it('generates prefixed keys whose id can be read back', () => {
    const { id, key } = generateApiKey();
    expect(key).toMatch(/^ipk_[0-9a-f]{20}_[A-Za-z0-9_-]{43}$/);
    expect(apiKeyId(key)).toBe(id);
    expect(looksLikeApiKey(key)).toBe(true);
  });

  it('generates a different key every time', () => {
    expect(generateApiKey().key).not.toBe(generateApiKey().key);
  });

  it('reads no id from malformed keys, even when the secret contains the separator', () => {
    const { id, key } = generateApiKey();
    expect(apiKeyId(`${key}x`)).toBeNull();
    expect(apiKeyId(key.slice(0, -1))).toBeNull();
    expect(apiKeyId(key.toUpperCase())).toBeNull();
    expect(apiKeyId(`ipk_${id}_${'_'.repeat(43)}`)).toBe(id);
    expect(apiKeyId('eyJhbGciOiJFUzI1NiJ9.e30.sig')).toBeNull();
    expect(looksLikeApiKey('an-opaque-access-token')).toBe(false);
    expect(looksLikeApiKey(undefined)).toBe(false);
  });
});
