import { Inject, Injectable, Logger } from '@nestjs/common';
import { type IdentityInternalClient, IdentityInternalError } from '@platform/contracts';
import { Keyring } from '@platform/crypto';
import type { Principal } from '@platform/resource-server';
import { Clock } from '@platform/runtime';
import type { IncomingMessage } from 'node:http';
import type { AuthorizationServerConfig } from '../config';
import { FederatedLogin, type PendingFederation } from '../interactions/federated-login';
import { httpsUrl } from '../interactions/pages/branding';
import { AUTHZ_CONFIG, IDENTITY_CLIENT, KEYRING } from '../tokens';
import { AccountLinkError } from './account-link-errors';
import type { LinkableProviderView } from './account-links.views';

/** Where the upstream IdP's callback is sent on when its state is a link's (see FederatedCallbackController). */
export const ACCOUNT_LINK_CALLBACK = '/external-links/callback';
/** The account console's screen the flow ends on, with `?linked=<slug>` or `?link_error=<code>`. */
export const LINKED_ACCOUNTS_SCREEN = '/account/linked-accounts';

const STATE_PREFIX = 'link';
const COOKIE = 'account_link';
const TTL_MS = 10 * 60_000;
const SEALED_FOR = 'account-link';

/** What the round trip to the upstream IdP must bring back, sealed in an HttpOnly cookie of this browser. */
interface PendingLink extends PendingFederation {
  userId: string;
  tenantId: string;
  slug: string;
  expiresAt: number;
}

export type LinkOutcome = 'linked' | 'expired' | 'cancelled' | 'failed' | 'taken';

/**
 * "Link another account" in the account console: the upstream OpenID Connect code flow of the
 * hosted "Sign in with …" (FederatedLogin: PKCE, state, nonce, the outbound guard), started by the
 * signed-in user's API call and finished on the one redirect URI every upstream client registers.
 * There is no interaction to keep the state in, so it travels sealed (AES-GCM, the keyring) in a
 * cookie scoped to the callback path: the callback only links for the browser that started it,
 * for the user whose token started it, within ten minutes. The backend links the upstream `sub`
 * to that user (no email match: the user proved both sides), or refuses one linked to someone else.
 */
@Injectable()
export class AccountLinks {
  private readonly logger = new Logger('AccountLinks');
  private readonly secure: boolean;

  constructor(
    private readonly federation: FederatedLogin,
    @Inject(IDENTITY_CLIENT) private readonly identity: IdentityInternalClient,
    @Inject(KEYRING) private readonly keyring: Keyring,
    @Inject(AUTHZ_CONFIG) config: AuthorizationServerConfig,
    private readonly clock: Clock,
  ) {
    this.secure = config.ISSUER.startsWith('https:');
  }

  /** Whether an upstream callback's state belongs to a link (else to a sign-in's interaction). */
  static owns(state: unknown): boolean {
    return typeof state === 'string' && state.startsWith(`${STATE_PREFIX}.`);
  }

  async providers(me: Principal): Promise<LinkableProviderView[]> {
    if (!me.tenantId) return [];
    const providers = await this.federation.providers(me.tenantId);
    return providers.map((p) => ({
      slug: p.slug,
      displayName: p.displayName,
      logoUrl: httpsUrl(p.logoUrl)?.href ?? null,
    }));
  }

  /** The upstream authorization URL for the browser, and the cookie that carries the pending link. */
  async start(me: Principal, slug: string): Promise<{ url: string; setCookie: string }> {
    const { tenantId } = me;
    const provider = tenantId ? (await this.federation.providers(tenantId)).find((p) => p.slug === slug) : undefined;
    if (!tenantId || !provider)
      throw new AccountLinkError('idp_not_found', 'No identity provider of that name in your organisation');
    let started: { url: string; pending: PendingFederation };
    try {
      started = await this.federation.start(provider, STATE_PREFIX);
    } catch (error) {
      this.logger.warn(`upstream IdP ${slug} unavailable for linking: ${(error as Error).message}`);
      throw new AccountLinkError('idp_unreachable', `${provider.displayName} cannot be reached right now`);
    }
    const pending: PendingLink = {
      ...started.pending,
      userId: me.subject,
      tenantId,
      slug,
      expiresAt: this.clock.nowMs() + TTL_MS,
    };
    const sealed = this.keyring.seal(JSON.stringify(pending), SEALED_FOR);
    return { url: started.url, setCookie: this.cookie(sealed, TTL_MS / 1000) };
  }

  /** Back from the upstream IdP: where the browser goes on (the console's screen, saying how it went), and the cookie's removal. */
  async finish(req: IncomingMessage, query: string): Promise<{ location: string; setCookie: string }> {
    const pending = this.pendingOf(req);
    const params = new URLSearchParams(query);
    const outcome = await this.complete(pending, params, query);
    const result: [string, string] = outcome === 'linked' ? ['linked', pending!.slug] : ['link_error', outcome];
    return { location: `${LINKED_ACCOUNTS_SCREEN}?${new URLSearchParams([result])}`, setCookie: this.cookie('', 0) };
  }

  private async complete(pending: PendingLink | null, params: URLSearchParams, query: string): Promise<LinkOutcome> {
    if (!pending || params.get('state') !== pending.state) return 'expired';
    if (params.has('error')) return 'cancelled';
    const provider = (await this.federation.providers(pending.tenantId)).find((p) => p.id === pending.providerId);
    if (!provider) return 'expired';
    try {
      const upstream = await this.federation.finish(provider, pending, query);
      await this.identity.linkExternalIdentity({
        tenantId: pending.tenantId,
        userId: pending.userId,
        providerId: provider.id,
        subject: upstream.subject,
        claims: upstream.claims,
      });
      return 'linked';
    } catch (error) {
      if (error instanceof IdentityInternalError && error.failure === 'external_identity_taken') return 'taken';
      this.logger.warn(`linking with ${provider.slug} failed: ${(error as Error).message}`);
      return 'failed';
    }
  }

  private pendingOf(req: IncomingMessage): PendingLink | null {
    const sealed = (req.headers.cookie ?? '')
      .split(';')
      .map((part) => part.trim())
      .find((part) => part.startsWith(`${COOKIE}=`))
      ?.slice(COOKIE.length + 1);
    if (!sealed) return null;
    try {
      const pending = JSON.parse(this.keyring.open(sealed, SEALED_FOR)) as PendingLink;
      return pending.expiresAt > this.clock.nowMs() ? pending : null;
    } catch {
      return null;
    }
  }

  private cookie(value: string, maxAgeSeconds: number): string {
    const attributes = [`Path=${ACCOUNT_LINK_CALLBACK}`, `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax'];
    return [`${COOKIE}=${value}`, ...attributes, ...(this.secure ? ['Secure'] : [])].join('; ');
  }
}
