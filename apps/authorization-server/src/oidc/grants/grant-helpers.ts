import type Provider from 'oidc-provider';
import type {
  AccessToken,
  ClientCredentials,
  KoaContextWithOIDC,
  RefreshToken,
  ResourceServerInstance,
} from 'oidc-provider';

/** A validated DPoP proof, as oidc-provider hands it around. */
export interface DPoPProof {
  thumbprint: string;
}

/**
 * The helpers oidc-provider's own grant handlers get (DPoP proof checks and binding, resource
 * and scope resolution). A handler registered with registerGrantType receives only `ctx`, so
 * they are loaded from the package's modules: pinned oidc-provider version, checked at boot.
 */
export interface GrantHelpers {
  validateDpop(provider: Provider, ctx: KoaContextWithOIDC): Promise<DPoPProof | undefined>;
  checkDpopRequired(provider: Provider, ctx: KoaContextWithOIDC, dPoP: DPoPProof | undefined): void;
  applyDpopBinding(
    provider: Provider,
    ctx: KoaContextWithOIDC,
    dPoP: DPoPProof | undefined,
    token: AccessToken | ClientCredentials,
  ): Promise<void>;
  /** Throws invalid_scope for a scope the client's registration does not allow. */
  validateClientScope(provider: Provider, ctx: KoaContextWithOIDC, scopes?: Set<string>): Set<string>;
  /** The resource servers of the request's `resource` parameters (or the default one). */
  resolveRequestedResources(provider: Provider, ctx: KoaContextWithOIDC): Promise<ResourceServerInstance[]>;
  applyRefreshTokenBindings(
    provider: Provider,
    ctx: KoaContextWithOIDC,
    at: AccessToken,
    rt: RefreshToken,
  ): Promise<void>;
}

const NAMES: (keyof GrantHelpers)[] = [
  'validateDpop',
  'checkDpopRequired',
  'applyDpopBinding',
  'validateClientScope',
  'resolveRequestedResources',
  'applyRefreshTokenBindings',
];

// Module paths inside oidc-provider 9 (not its public API: an upgrade that moves them fails the boot, not a request).
const GRANTS_MODULE = 'oidc-provider/lib/helpers/grants.js';
const GRANT_COMMON_MODULE = 'oidc-provider/lib/helpers/grant_common.js';

export async function loadGrantHelpers(): Promise<GrantHelpers> {
  const grants = (await import(GRANTS_MODULE as string)) as Record<string, unknown>;
  const common = (await import(GRANT_COMMON_MODULE as string)) as Record<string, unknown>;
  const helpers = { ...grants, applyDpopBinding: common.applyDpopBinding } as Record<string, unknown>;
  const missing = NAMES.filter((name) => typeof helpers[name] !== 'function');
  if (missing.length) throw new Error(`oidc-provider no longer has the grant helpers ${missing.join(', ')}`);
  return helpers as unknown as GrantHelpers;
}
