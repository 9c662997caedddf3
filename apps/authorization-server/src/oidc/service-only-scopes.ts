import { SERVICE_ONLY_SCOPES } from '@platform/contracts';
import { PLATFORM_ADMIN_SCOPE } from '@platform/resource-server';

/**
 * `identity.internal` belongs to this server's own service identity, whose tokens it mints itself
 * (identity/service-tokens.ts): the provider refuses it to every client, registered or not, even
 * one an older database still lists it for (decided at token time rather than by rewriting rows).
 */
export function refuseServiceOnlyScopes(
  scope: unknown,
  errors: { InvalidScope: new (description: string, scope: string) => Error },
): void {
  if (typeof scope !== 'string') return;
  const reserved = [...new Set(scope.split(' '))].filter((s) => SERVICE_ONLY_SCOPES.includes(s));
  if (reserved.length) {
    throw new errors.InvalidScope(`${reserved.join(' ')} is reserved to the authorization server`, reserved.join(' '));
  }
}

/** An API's scopes as the provider may grant them: never a service-only one. */
export const grantableScopes = (scopes: readonly string[]): string[] =>
  scopes.filter((scope) => !SERVICE_ONLY_SCOPES.includes(scope));

/**
 * `platform.admin` makes a client's token a platform operator's: only platform clients (no
 * tenant) may hold it. The clients API refuses it on tenant clients; this closes the door for
 * registrations from before that rule, whatever their stored scope list says.
 */
export function refusePlatformScopeForTenantClient(
  scope: unknown,
  clientTenantId: string | null,
  errors: { InvalidScope: new (description: string, scope: string) => Error },
): void {
  if (clientTenantId === null || typeof scope !== 'string') return;
  if (scope.split(' ').includes(PLATFORM_ADMIN_SCOPE)) {
    throw new errors.InvalidScope(`${PLATFORM_ADMIN_SCOPE} is reserved to platform clients`, PLATFORM_ADMIN_SCOPE);
  }
}
