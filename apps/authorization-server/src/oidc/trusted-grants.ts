import type { Grant, interactionPolicy, KoaContextWithOIDC } from 'oidc-provider';
import type { ExtraClientMetadata } from './client-metadata';

const isTrusted = (client: unknown) => (client as ExtraClientMetadata | undefined)?.trusted === true;

/**
 * The grant a request runs under. First-party ("trusted") clients never show the consent
 * page (seed 003: "users are not presented with the list of authorized scopes"): their
 * grant is created or widened here with whatever the request asks and the client may have.
 */
export async function loadExistingGrant(ctx: KoaContextWithOIDC): Promise<Grant | undefined> {
  const { client, session, result, provider } = ctx.oidc;
  if (!client || !session) return undefined;
  const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  const existing = grantId ? await provider.Grant.find(grantId) : undefined;
  if (!isTrusted(client) || !session.accountId) return existing;

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

/**
 * oidc-provider's default policy, except that a trusted device-flow client is not asked for
 * consent again: the user has just confirmed the device's code on the hosted page.
 */
export function interactionPolicyFor(policy: interactionPolicy.DefaultPolicy): interactionPolicy.DefaultPolicy {
  const nativePrompt = policy.get('consent')?.checks.get('native_client_prompt');
  if (!nativePrompt) throw new Error('oidc-provider no longer has the native_client_prompt check');
  const original = nativePrompt.check.bind(nativePrompt);
  nativePrompt.check = (ctx) => !(ctx.oidc.route === 'device_resume' && isTrusted(ctx.oidc.client)) && original(ctx);
  return policy;
}
