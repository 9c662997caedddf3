import { assertKnownScopes } from './known-scopes';

class InvalidScope extends Error {
  constructor(
    description: string,
    readonly scope: string,
  ) {
    super(description);
  }
}

describe('assertKnownScopes', () => {
  const known = new Set(['openid', 'email', 'identity.users.read']);

  it('lets known scopes and an absent scope through', () => {
    expect(() => assertKnownScopes('openid email identity.users.read', known, { InvalidScope })).not.toThrow();
    expect(() => assertKnownScopes(undefined, known, { InvalidScope })).not.toThrow();
  });

  it('refuses unknown scopes with invalid_scope, naming them once', () => {
    let thrown: unknown;
    try {
      assertKnownScopes('openid typo typo other', known, { InvalidScope });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidScope);
    expect(thrown).toMatchObject({ message: 'unknown scopes: typo other', scope: 'typo other' });
  });
});
