import { matchingStep, newTotpSecret, otpauthUri, totpCode } from './totp';

describe('totp', () => {
  const secret = newTotpSecret();

  it('generates distinct 160-bit base32 secrets', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
  });

  it('accepts the current code and its neighbours, naming the step', () => {
    const now = 1_800_000_000_000;
    const step = Math.floor(now / 30_000);
    expect(matchingStep(secret, totpCode(secret, now), now)).toBe(step);
    expect(matchingStep(secret, totpCode(secret, now - 30_000), now)).toBe(step - 1);
    expect(matchingStep(secret, totpCode(secret, now + 30_000), now)).toBe(step + 1);
  });

  it('rejects old codes, wrong codes and non-codes', () => {
    const now = 1_800_000_000_000;
    expect(matchingStep(secret, totpCode(secret, now - 120_000), now)).toBeNull();
    const wrong = String((Number(totpCode(secret, now)) + 1) % 1_000_000).padStart(6, '0');
    expect(matchingStep(secret, wrong, now)).toBeNull();
    for (const junk of ['', '12345', '1234567', 'abcdef', ' 123456'])
      expect(matchingStep(secret, junk, now)).toBeNull();
  });

  it('builds an otpauth URI for authenticator apps', () => {
    expect(otpauthUri(secret, 'Acme', 'ada@example.com')).toMatch(
      /^otpauth:\/\/totp\/Acme:ada%40example\.com\?secret=[A-Z2-7]+.*issuer=Acme/,
    );
  });
});
