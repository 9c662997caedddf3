import { randomBytes } from 'node:crypto';
import { CsrfTokens } from './csrf';

describe('CsrfTokens', () => {
  const key = randomBytes(32);
  const tokens = new CsrfTokens([key]);

  it('accepts the token issued for the same interaction only', () => {
    const token = tokens.issue('interaction-1');
    expect(tokens.verify('interaction-1', token)).toBe(true);
    expect(tokens.verify('interaction-2', token)).toBe(false);
  });

  it.each([undefined, '', 'x', 42, ['a']])('refuses a missing or malformed token %p', (presented) => {
    expect(tokens.verify('interaction-1', presented)).toBe(false);
  });

  it('still accepts tokens of the previous key after a rotation, not of an unknown key', () => {
    const before = tokens.issue('interaction-1');
    const rotated = new CsrfTokens([randomBytes(32), key]);
    expect(rotated.verify('interaction-1', before)).toBe(true);
    expect(new CsrfTokens([randomBytes(32)]).verify('interaction-1', before)).toBe(false);
  });
});
