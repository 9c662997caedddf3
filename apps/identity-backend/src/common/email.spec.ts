import { canonicalEmail } from './email';

describe('canonicalEmail', () => {
  it('refuses invisible and bidi characters instead of letting them make a look-alike', () => {
    for (const trick of [
      'ad\u200Ba@example.com',
      'ada\u00AD@example.com',
      'ad\uFEFFa@example.com',
      'ada@exa\u202Emple.com',
    ])
      expect(canonicalEmail(trick)).toBeNull();
  });

  it('folds case', () => {
    expect(canonicalEmail('Alice@Example.COM')).toBe('alice@example.com');
  });

  it('folds NFD to the same form as NFC', () => {
    const nfc = 'jos\u00e9@example.com';
    const nfd = 'jose\u0301@example.com';
    expect(canonicalEmail(nfd)).toBe(canonicalEmail(nfc));
  });

  it('folds the Kelvin sign onto k', () => {
    expect(canonicalEmail('\u212Aate@example.com')).toBe('kate@example.com');
  });

  it('folds fullwidth letters onto ASCII', () => {
    expect(canonicalEmail('ａｄｍｉｎ@example.com')).toBe('admin@example.com');
  });

  it('folds the dotless i and dotted capital I onto i', () => {
    expect(canonicalEmail('adm\u0131n@example.com')).toBe('admin@example.com');
    expect(canonicalEmail('\u0130nfo@example.com')).toBe('info@example.com');
  });

  it('converts internationalized domains to ASCII', () => {
    expect(canonicalEmail('user@bücher.example')).toBe('user@xn--bcher-kva.example');
  });

  it.each([
    '',
    'plain',
    '@example.com',
    'a@b',
    'a b@example.com',
    'a@exa mple.com',
    'a..b@example.com',
    '.a@example.com',
    'a@-x.com',
    `${'x'.repeat(65)}@example.com`,
  ])('rejects %p', (input) => {
    expect(canonicalEmail(input)).toBeNull();
  });
});
