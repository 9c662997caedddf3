/**
 * RFC 8693 §4.1 `act`: who acts on the subject's behalf; a nested `act` names who acted before
 * (the least recent actor most deeply nested).
 */
export interface ActClaim {
  sub: string;
  client_id?: string;
  act?: ActClaim;
}

/**
 * The `act` a token-exchange grant puts on the token it issues: the grant builds the token, the
 * provider's extraTokenClaims (token-claims.ts) writes its claims, so the claim travels beside the
 * token instance (never in its stored payload before the provider formats it).
 */
const delegations = new WeakMap<object, ActClaim>();

export function delegate(token: object, act: ActClaim): void {
  delegations.set(token, act);
}

export function delegationOf(token: object): ActClaim | undefined {
  return delegations.get(token);
}

/** An `act` claim as a token carries it (untrusted shape: only string members, nesting kept, bounded depth). */
export function actClaimOf(value: unknown, depth = 0): ActClaim | undefined {
  if (depth > 8 || typeof value !== 'object' || value === null) return undefined;
  const { sub, client_id: clientId, act } = value as Record<string, unknown>;
  if (typeof sub !== 'string') return undefined;
  const nested = actClaimOf(act, depth + 1);
  return { sub, ...(typeof clientId === 'string' ? { client_id: clientId } : {}), ...(nested ? { act: nested } : {}) };
}
