import { SERVICE_ONLY_SCOPES } from '@platform/contracts';

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
