import { englishCatalogue } from '@platform/i18n';
import type { ResourceServer } from '../resource-servers/resource-server.entity';

/** Built-in wording of the OpenID Connect scopes (and ours), as the consent pages show them: the English catalogue's. */
export const OIDC_SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = englishCatalogue.scopes;

export interface ScopeLine {
  scope: string;
  description: string;
}

/** One API a token is asked for: its name and what each scope asked for allows. */
export interface ApiAccess {
  identifier: string;
  name: string;
  scopes: ScopeLine[];
}

/** What a consent page lists: the sign-in scopes, then each API with its scopes. */
export interface AccessRequest {
  account: ScopeLine[];
  apis: ApiAccess[];
}

export type FindResourceServer = (
  identifier: string,
) => Promise<Pick<ResourceServer, 'name' | 'scopes' | 'scopeDescriptions'> | null>;

/**
 * Describes what is being granted (DESIGN §7: consent names the API and each scope).
 * `resources` maps every API asked for to the scopes asked for it (possibly none); an
 * API scope is listed under its API only, never again among the sign-in scopes.
 */
export async function describeAccess(
  find: FindResourceServer,
  oidcScopes: readonly string[],
  resources: Readonly<Record<string, readonly string[]>>,
): Promise<AccessRequest> {
  const apis: ApiAccess[] = [];
  for (const [identifier, scopes] of Object.entries(resources)) {
    const server = await find(identifier);
    apis.push({
      identifier,
      name: server?.name ?? identifier,
      scopes: [...new Set(scopes)].map((scope) => ({
        scope,
        description: server?.scopeDescriptions?.[scope] ?? scope,
      })),
    });
  }
  const underAnApi = new Set(apis.flatMap((api) => api.scopes.map((s) => s.scope)));
  const account = [...new Set(oidcScopes)]
    .filter((scope) => !underAnApi.has(scope))
    .map((scope) => ({ scope, description: OIDC_SCOPE_DESCRIPTIONS[scope] ?? scope }));
  return { account, apis };
}

/**
 * A device flow's request (RFC 8628), before anything is granted: the scopes it asked for,
 * each requested API's own scopes listed under it.
 */
export async function describeDeviceRequest(
  find: FindResourceServer,
  params: { scope?: unknown; resource?: unknown },
): Promise<AccessRequest> {
  const requested = typeof params.scope === 'string' ? params.scope.split(' ').filter(Boolean) : [];
  const resources: Record<string, string[]> = {};
  for (const identifier of requestedResources(params.resource)) {
    const server = await find(identifier);
    resources[identifier] = requested.filter((scope) => server?.scopes.includes(scope));
  }
  return describeAccess(find, requested, resources);
}

/** The resource indicators of an authorization request's parameters (one or several). */
export function requestedResources(resource: unknown): string[] {
  return (Array.isArray(resource) ? resource : [resource]).filter(
    (r): r is string => typeof r === 'string' && r.length > 0,
  );
}
