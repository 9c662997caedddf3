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
