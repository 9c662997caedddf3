import { Keyring } from './keyring';

describe('Keyring', () => {
  const old = Keyring.generateSpec('old');
  const current = Keyring.generateSpec('new');

  it('seals and opens, with a fresh IV each time', () => {
    const ring = Keyring.parse(current);
    const a = ring.seal('JBSWY3DPEHPK3PXP', 'user-1');
    const b = ring.seal('JBSWY3DPEHPK3PXP', 'user-1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(ring.open(a, 'user-1')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses a ciphertext moved to another owner', () => {
    const ring = Keyring.parse(current);
    expect(() => ring.open(ring.seal('secret', 'user-1'), 'user-2')).toThrow();
  });

  it('refuses a tampered ciphertext', () => {
    const ring = Keyring.parse(current);
    const parts = ring.seal('secret', 'user-1').split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => ring.open(parts.join('.'), 'user-1')).toThrow();
  });

  it('opens secrets sealed with an older key after rotation, and reports them stale', () => {
    const sealedBefore = Keyring.parse(old).seal('secret', 'u');
    const rotated = Keyring.parse(`${current},${old}`);
    expect(rotated.activeKeyId).toBe('new');
    expect(rotated.open(sealedBefore, 'u')).toBe('secret');
    expect(rotated.isStale(sealedBefore)).toBe(true);
    expect(rotated.isStale(rotated.seal('secret', 'u'))).toBe(false);
  });

  it('derives per-purpose keys that survive a rotation and differ by purpose', () => {
    const [cookieKey] = Keyring.parse(old).deriveKeys('cookies');
    const rotated = Keyring.parse(`${current},${old}`).deriveKeys('cookies');
    expect(rotated).toHaveLength(2);
    expect(rotated[1]!.equals(cookieKey!)).toBe(true);
    expect(rotated[0]!.equals(cookieKey!)).toBe(false);
    expect(Keyring.parse(old).deriveKeys('csrf')[0]!.equals(cookieKey!)).toBe(false);
  });

  it.each(['', 'nokey', 'k1:short', `bad kid!:${Buffer.alloc(32).toString('base64')}`, `${current},${current}`])(
    'rejects the key specification %p',
    (spec) => {
      expect(() => Keyring.parse(spec)).toThrow();
    },
  );
});
