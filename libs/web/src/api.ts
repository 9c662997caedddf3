import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths as AuthzPaths } from './api/authorization-server.openapi';
import type { paths as IdentityPaths } from './api/identity-backend.openapi';
import type { OidcSession } from './oidc';

export type IdentityApi = Client<IdentityPaths>;
export type AuthzApi = Client<AuthzPaths>;

/** Bearer token of the API's audience on every call; one retry with a renewed token after a 401. */
function bearer(session: OidcSession, audience: string): Middleware {
  const retried = new WeakSet<Request>();
  return {
    async onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${await session.accessToken(audience)}`);
      return request;
    },
    async onResponse({ request, response }) {
      if (response.status !== 401 || retried.has(request)) return response;
      const again = new Request(request, {
        headers: {
          ...Object.fromEntries(request.headers),
          authorization: `Bearer ${await session.accessToken(audience, { renew: true })}`,
        },
      });
      retried.add(again);
      return fetch(again);
    },
  };
}

/** Typed clients of both services' /api/v1, generated from their OpenAPI documents at build time. */
export function createApis(session: OidcSession): { identity: IdentityApi; authz: AuthzApi } {
  const { settings } = session;
  const identity = createClient<IdentityPaths>({ baseUrl: settings.identityApiUrl });
  identity.use(bearer(session, settings.identityApiAudience));
  const authz = createClient<AuthzPaths>({ baseUrl: new URL(settings.issuer).origin });
  authz.use(bearer(session, settings.authzApiAudience));
  return { identity, authz };
}

export type { components as AuthzSchemas } from './api/authorization-server.openapi';
export type { components as IdentitySchemas } from './api/identity-backend.openapi';
