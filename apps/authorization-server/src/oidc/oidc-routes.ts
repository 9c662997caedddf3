/** Routes as named in seed 002; everything else of oidc-provider keeps its defaults. */
export const OIDC_ROUTES = {
  authorization: '/authorize',
  token: '/token',
  userinfo: '/userinfo',
  jwks: '/jwks',
  introspection: '/tokens/introspect',
  revocation: '/tokens/revoke',
  end_session: '/logout',
  pushed_authorization_request: '/par',
  device_authorization: '/device/auth',
  code_verification: '/device',
  // RFC 7591/7592, answered only with DYNAMIC_CLIENT_REGISTRATION on (registration/).
  registration: '/reg',
} as const;

/**
 * The provider's route a path belongs to (e.g. `/token`, `/authorize`), or null for Nest's
 * paths; used to route requests and as the low-cardinality label of the HTTP metrics.
 */
export function oidcRouteOf(path: string): string | null {
  if (path.startsWith('/.well-known/')) return '/.well-known/*';
  const route = Object.values(OIDC_ROUTES).find((r) => path === r || path.startsWith(`${r}/`));
  return route ? (path === route ? route : `${route}/*`) : null;
}
