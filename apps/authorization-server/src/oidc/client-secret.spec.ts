import { sha256Hex } from '@platform/crypto';
import { clientSecretComparison, sameHash } from './client-secret';

describe('clientSecretComparison', () => {
  const client = { clientId: 'app', clientSecret: sha256Hex('current') };

  it('accepts the current secret without looking up the previous one', async () => {
    const previous = jest.fn();
    await expect(clientSecretComparison(previous).call(client, 'current')).resolves.toBe(true);
    expect(previous).not.toHaveBeenCalled();
  });

  it('accepts the previous secret during the overlap window, and nothing else', async () => {
    const compare = clientSecretComparison(async (clientId) => (clientId === 'app' ? sha256Hex('old') : undefined));
    await expect(compare.call(client, 'old')).resolves.toBe(true);
    await expect(compare.call(client, 'wrong')).resolves.toBe(false);
  });

  it('refuses when there is no previous secret (expired or never rotated)', async () => {
    await expect(clientSecretComparison(async () => undefined).call(client, 'old')).resolves.toBe(false);
  });
});

describe('sameHash', () => {
  it('never matches a missing or differently sized hash', () => {
    expect(sameHash(undefined, 'ab')).toBe(false);
    expect(sameHash('ab', 'abc')).toBe(false);
    expect(sameHash('abc', 'abc')).toBe(true);
  });
});
