import { OIDC_ROUTES, oidcRouteOf } from './oidc-routes';

describe('oidcRouteOf', () => {
  it('names the provider route of a path, with a wildcard for sub-paths', () => {
    expect(oidcRouteOf('/token')).toBe('/token');
    expect(oidcRouteOf('/reg/abc')).toBe('/reg/*');
    expect(oidcRouteOf('/.well-known/openid-configuration')).toBe('/.well-known/*');
  });

  it('leaves Nest paths (and look-alike prefixes) to Nest', () => {
    expect(oidcRouteOf('/api/v1/clients')).toBeNull();
    expect(oidcRouteOf('/interaction/abc')).toBeNull();
    expect(oidcRouteOf('/tokenx')).toBeNull();
  });

  it('keeps the seed 002 names', () => {
    expect(OIDC_ROUTES).toMatchObject({
      introspection: '/tokens/introspect',
      revocation: '/tokens/revoke',
      end_session: '/logout',
    });
  });
});
