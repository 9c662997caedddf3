import { externalRequestUrl, normalizeHtu } from './request-url';

describe('externalRequestUrl', () => {
  const req = (headers: Record<string, string>, url = '/api/v1/users?limit=1', encrypted = false) => ({
    url,
    headers,
    encrypted,
  });

  it('uses the configured public base URL, ignoring the Host and forwarded headers', () => {
    const line = req({ host: 'internal:3001', 'x-forwarded-host': 'evil.example' });
    expect(externalRequestUrl(line, { publicBaseUrl: 'https://id.example.com/', trustProxy: true })).toBe(
      'https://id.example.com/api/v1/users',
    );
    expect(externalRequestUrl(line, { publicBaseUrl: 'https://example.com/identity' })).toBe(
      'https://example.com/identity/api/v1/users',
    );
  });

  it('takes scheme and host from the request without a base URL', () => {
    expect(externalRequestUrl(req({ host: '127.0.0.1:3001' }), {})).toBe('http://127.0.0.1:3001/api/v1/users');
    expect(externalRequestUrl(req({ host: 'API.example.com:443' }, '/x', true), {})).toBe('https://api.example.com/x');
  });

  it('honours X-Forwarded-Proto/-Host only when the proxy is trusted', () => {
    const line = req({
      host: '10.0.0.5:3001',
      'x-forwarded-proto': 'https, http',
      'x-forwarded-host': 'id.example.com',
    });
    expect(externalRequestUrl(line, { trustProxy: true })).toBe('https://id.example.com/api/v1/users');
    expect(externalRequestUrl(line, {})).toBe('http://10.0.0.5:3001/api/v1/users');
  });

  it('gives no URL without a host', () => {
    expect(externalRequestUrl(req({}), {})).toBeNull();
  });
});

describe('normalizeHtu', () => {
  it('drops query, fragment and default ports, and refuses non-http URLs', () => {
    expect(normalizeHtu('HTTPS://Example.COM:443/a/b?c=d#e')).toBe('https://example.com/a/b');
    expect(normalizeHtu('http://example.com:8080/')).toBe('http://example.com:8080/');
    expect(normalizeHtu('javascript:alert(1)')).toBeNull();
    expect(normalizeHtu('not a url')).toBeNull();
  });
});
