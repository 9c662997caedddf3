/** The slice of oidc-provider's context that grant loading reads. */
interface GrantContext {
  oidc: {
    client?: { clientId: string; trusted?: boolean };
    session?: { accountId?: string; grantIdFor(clientId: string): string | undefined };
    result?: { consent?: { grantId?: string } };
    requestParamOIDCScopes?: Set<string>;
    requestParamScopes?: Set<string>;
    requestParamClaims?: Set<string>;
    resourceServers?: Record<string, { scope?: string }>;
    provider: { Grant: GrantClass };
  };
}

interface Grant {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  addResourceScope(resource: string, scope: string): void;
  save(): Promise<string>;
}

interface GrantClass {
  new (init: { accountId: string; clientId: string }): Grant;
  find(id: string): Promise<Grant | undefined>;
}

/**
 * The grant a request runs under. First-party ("trusted") clients never show the consent
 * page (seed 003: "users are not presented with the list of authorized scopes"): their
 * grant is created or widened here with whatever the request asks and the client may have.
 */
export async function loadExistingGrant(ctx: GrantContext): Promise<Grant | undefined> {
  const { client, session, result, provider } = ctx.oidc;
  if (!client || !session) return undefined;
  const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  const existing = grantId ? await provider.Grant.find(grantId) : undefined;
  if (!client.trusted || !session.accountId) return existing;

  const grant = existing ?? new provider.Grant({ accountId: session.accountId, clientId: client.clientId });
  grant.addOIDCScope([...(ctx.oidc.requestParamOIDCScopes ?? [])].join(' '));
  // Claims asked for by name (the claims parameter, OIDC Core §5.5) are granted like the scopes.
  const claims = [...(ctx.oidc.requestParamClaims ?? [])];
  if (claims.length) grant.addOIDCClaims(claims);
  const requested = ctx.oidc.requestParamScopes ?? new Set<string>();
  for (const [resource, server] of Object.entries(ctx.oidc.resourceServers ?? {})) {
    const allowed = (server.scope ?? '').split(' ').filter((scope) => requested.has(scope));
    if (allowed.length) grant.addResourceScope(resource, allowed.join(' '));
  }
  await grant.save();
  return grant;
}

interface PolicyCheck {
  check(ctx: { oidc: { route: string; client: { trusted?: boolean } } }): boolean;
}

interface InteractionPolicy {
  get(prompt: string): { checks: { get(reason: string): PolicyCheck | undefined } } | undefined;
}

/**
 * oidc-provider's default policy, except that a trusted device-flow client is not asked for
 * consent again: the user has just confirmed the device's code on the hosted page.
 */
export function interactionPolicyFor<P extends InteractionPolicy>(policy: P): P {
  const nativePrompt = policy.get('consent')?.checks.get('native_client_prompt');
  if (!nativePrompt) throw new Error('oidc-provider no longer has the native_client_prompt check');
  const original = nativePrompt.check.bind(nativePrompt);
  nativePrompt.check = (ctx) => !(ctx.oidc.route === 'device_resume' && ctx.oidc.client.trusted) && original(ctx);
  return policy;
}
