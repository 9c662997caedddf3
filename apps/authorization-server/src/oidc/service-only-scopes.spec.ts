import { grantableScopes, refuseServiceOnlyScopes } from './service-only-scopes';

class InvalidScope extends Error {
  constructor(
    description: string,
    readonly scope: string,
  ) {
    super(description);
  }
}

describe('service-only scopes', () => {
  it('refuses identity.internal in any request, alone or among others', () => {
    for (const scope of [
      'identity.internal',
      'identity.users.read identity.internal',
      'identity.internal identity.internal',
    ]) {
      expect(() => refuseServiceOnlyScopes(scope, { InvalidScope })).toThrow(InvalidScope);
    }
  });

  it('lets every other scope, and no scope, through', () => {
    expect(() => refuseServiceOnlyScopes('openid identity.users.read platform.admin', { InvalidScope })).not.toThrow();
    expect(() => refuseServiceOnlyScopes(undefined, { InvalidScope })).not.toThrow();
  });

  it('never lists identity.internal among the scopes an API grants', () => {
    expect(grantableScopes(['identity.users.read', 'identity.internal', 'platform.admin'])).toEqual([
      'identity.users.read',
      'platform.admin',
    ]);
  });
});
