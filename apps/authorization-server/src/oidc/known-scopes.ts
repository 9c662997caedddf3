/**
 * RFC 6749 §3.3 / §5.2: a requested scope that no one defined is refused with `invalid_scope`
 * instead of being dropped silently (oidc-provider ignores unknown scopes), so a typo in a relying
 * party's configuration shows up at once. Syntax errors stay the provider's own check.
 */
export function assertKnownScopes(
  scope: unknown,
  known: ReadonlySet<string>,
  errors: { InvalidScope: new (description: string, scope: string) => Error },
): void {
  if (typeof scope !== 'string') return;
  const unknown = [...new Set(scope.split(' '))].filter((s) => s && !known.has(s));
  if (unknown.length) {
    throw new errors.InvalidScope(
      `unknown ${unknown.length === 1 ? 'scope' : 'scopes'}: ${unknown.join(' ')}`.slice(0, 300),
      unknown.join(' '),
    );
  }
}

/**
 * A client may ask only for the scopes its registration lists. oidc-provider reads a missing or
 * empty list as "every scope"; here it means none, so a registration that never named scopes
 * (say, a tenant's service client) cannot reach `platform.admin` or an API's admin scopes.
 */
export function assertScopesRegistered(
  scope: unknown,
  client: { clientId: string; scope?: string } | undefined,
  errors: { InvalidScope: new (description: string, scope: string) => Error },
): void {
  if (typeof scope !== 'string' || !client) return;
  const allowed = new Set((client.scope ?? '').split(' ').filter(Boolean));
  const refused = [...new Set(scope.split(' '))].filter((s) => s && !allowed.has(s));
  if (refused.length) {
    throw new errors.InvalidScope(
      `requested ${refused.length === 1 ? 'scope is' : 'scopes are'} not allowed for this client: ${refused.join(' ')}`.slice(
        0,
        300,
      ),
      refused.join(' '),
    );
  }
}
