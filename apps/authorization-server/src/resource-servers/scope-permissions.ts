import type { ResourceServer } from './resource-server.entity';

/** `resource:action`, lower case, as the identity backend names role permissions (`platform:` allowed here). */
export const PERMISSION_NAME = /^[a-z][a-z0-9_.-]{0,63}:[a-z][a-z0-9_.-]{0,63}$/;

const MAX_PERMISSIONS_PER_SCOPE = 100;
const MAX_DESCRIPTION_LENGTH = 200;

/**
 * What is wrong with an API's scope mappings, or null: every key must be one of its scopes,
 * every permission a `resource:action` name, every description a short single line.
 */
export function scopeMappingProblem(
  scopes: readonly string[],
  scopePermissions: Record<string, unknown>,
  scopeDescriptions: Record<string, unknown>,
): string | null {
  const known = new Set(scopes);
  for (const [scope, permissions] of Object.entries(scopePermissions)) {
    if (!known.has(scope)) return `scopePermissions names ${scope}, which is not a scope of this API`;
    if (!Array.isArray(permissions) || permissions.length > MAX_PERMISSIONS_PER_SCOPE) {
      return `scopePermissions.${scope} must be a list of at most ${MAX_PERMISSIONS_PER_SCOPE} permissions`;
    }
    const bad = permissions.find((p) => typeof p !== 'string' || !PERMISSION_NAME.test(p));
    if (bad !== undefined) {
      return `scopePermissions.${scope}: ${String(bad)} is no permission name (resource:action, lower case)`;
    }
  }
  for (const [scope, description] of Object.entries(scopeDescriptions)) {
    if (!known.has(scope)) return `scopeDescriptions names ${scope}, which is not a scope of this API`;
    if (
      typeof description !== 'string' ||
      !description.trim() ||
      description.length > MAX_DESCRIPTION_LENGTH ||
      /[\p{Cc}\p{Cf}]/u.test(description)
    ) {
      return `scopeDescriptions.${scope} must be one line of 1 to ${MAX_DESCRIPTION_LENGTH} visible characters`;
    }
  }
  return null;
}

/**
 * The roles and permissions a user's access token for `server` carries (DESIGN §2, "scopes
 * bound the client, permissions bound the user"): the user's permissions that the scopes
 * granted in this token map to. A token granted no scope that maps anything carries neither
 * permissions nor roles, so an API that checks role names is bounded the same way.
 */
export function tokenAuthority(
  server: Pick<ResourceServer, 'includePermissions' | 'scopePermissions'> | null | undefined,
  user: { roles: readonly string[]; permissions: readonly string[] },
  grantedScope: string | undefined,
): { roles?: string[]; permissions?: string[] } {
  if (!server?.includePermissions) return {};
  const mapping = server.scopePermissions ?? {};
  const covered = new Set((grantedScope ?? '').split(' ').flatMap((scope) => mapping[scope] ?? []));
  if (covered.size === 0) return {};
  return { roles: [...user.roles], permissions: user.permissions.filter((p) => covered.has(p)) };
}
