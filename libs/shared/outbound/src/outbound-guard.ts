import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { forbiddenRangeOf } from './address-policy';
import { OutboundResponseTooLargeError, OutboundTargetForbiddenError, outboundRefusalOf } from './outbound-errors';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (injectable: tests simulate DNS, rebinding included). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface OutboundGuardOptions {
  /** `OUTBOUND_ALLOW_PRIVATE_NETWORK`: no address policy (local setups and tests); schemes, timeouts and caps stay. */
  allowPrivateNetwork?: boolean;
  resolver?: Resolver;
  /** Why an address is refused, or null to allow it; default {@link forbiddenRangeOf}. A seam for tests. */
  addressPolicy?: (address: string) => string | null;
  /** TCP + TLS handshake (default 5 s). */
  connectTimeoutMs?: number;
  /** Whole request, body included, unless the caller passes a shorter signal (default 10 s). */
  timeoutMs?: number;
  /** Largest response body read (default 1 MiB: discovery documents and JWKS are a few kB). */
  maxResponseBytes?: number;
}

type FetchInit = RequestInit & { dispatcher?: unknown };
type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

const systemResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, order: 'verbatim' })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

/**
 * fetch keeps a network error as `cause` only if it looks like a plain Error (same realm or
 * constructor named `Error`); wrapping keeps the typed refusal reachable in every realm.
 */
const asSocketError = (refusal: OutboundTargetForbiddenError) => new Error(refusal.message, { cause: refusal });

const ALLOWED_SCHEMES = new Set(['http:', 'https:']);

/**
 * The one guard for server-side requests whose target a tenant admin, a client registration or
 * a token can choose (IdP discovery / JWKS / token / userinfo, client `jwks_uri`, back-channel
 * logout, sector identifiers, request objects). Addresses are checked at connect time, on what
 * DNS answered for that very connection, so a rebinding DNS answer or a redirect (every hop
 * opens its own connection through this dispatcher) cannot reach a private address.
 */
export class OutboundGuard {
  /** An undici dispatcher for Node's global fetch (`fetch(url, { dispatcher })`). */
  readonly dispatcher: Agent;
  private readonly allowPrivateNetwork: boolean;
  private readonly resolver: Resolver;
  private readonly policy: (address: string) => string | null;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;

  constructor(options: OutboundGuardOptions = {}) {
    this.allowPrivateNetwork = options.allowPrivateNetwork ?? false;
    this.resolver = options.resolver ?? systemResolver;
    this.policy = options.addressPolicy ?? forbiddenRangeOf;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxResponseBytes = options.maxResponseBytes ?? 1024 * 1024;
    const connectTimeout = options.connectTimeoutMs ?? 5_000;
    const timeouts = { headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs };
    if (this.allowPrivateNetwork) {
      this.dispatcher = new Agent({ ...timeouts, connect: { timeout: connectTimeout } });
      return;
    }
    const connect = buildConnector({ timeout: connectTimeout, lookup: this.lookup });
    this.dispatcher = new Agent({
      ...timeouts,
      connect: (opts, callback) => {
        // Node skips `lookup` for IP literals, so those are judged here, before any socket exists.
        const host = opts.hostname.replace(/^\[(.*)\]$/, '$1');
        const reason = isIP(host) ? this.policy(host) : null;
        if (reason) return callback(asSocketError(new OutboundTargetForbiddenError(host, reason)), null);
        connect(opts, callback);
      },
    });
  }

  /**
   * `fetch()` through the guarded dispatcher, with the timeout and the response size cap. A
   * refused target rejects with {@link OutboundTargetForbiddenError} (not fetch's bare TypeError).
   */
  readonly fetch = async (input: string | URL | Request, init: FetchInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (!ALLOWED_SCHEMES.has(url.protocol)) throw new OutboundTargetForbiddenError(url.origin, 'scheme');
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let response: Response;
    try {
      // The caller's dispatcher (oidc-provider passes its own) is replaced: this guard is the one policy.
      response = await fetch(input, { ...init, signal, dispatcher: this.dispatcher } as RequestInit);
    } catch (error) {
      throw outboundRefusalOf(error) ?? error;
    }
    return this.capped(response, url.href);
  };

  /**
   * The registration-time check: the URL's scheme, and every address its host resolves to now.
   * A name that does not resolve (yet) passes; if it ever resolves to a refused address, the
   * connect-time check refuses it then.
   */
  async assertAllowedUrl(target: string): Promise<void> {
    const url = new URL(target);
    if (!ALLOWED_SCHEMES.has(url.protocol)) throw new OutboundTargetForbiddenError(url.origin, 'scheme');
    if (this.allowPrivateNetwork) return;
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host)) {
      const reason = this.policy(host);
      if (reason) throw new OutboundTargetForbiddenError(host, reason);
      return;
    }
    const addresses = await this.resolver(host).catch(() => []);
    const refused = addresses.map((a) => this.policy(a.address)).find((reason) => reason !== null);
    // Stricter than connect time (which only skips refused addresses): a name with any private address is refused.
    if (refused) throw new OutboundTargetForbiddenError(host, refused);
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }

  /** `net.connect`'s lookup: only the allowed addresses of this resolution are handed to the socket. */
  private readonly lookup = (
    hostname: string,
    options: LookupOneOptions | LookupAllOptions,
    callback: LookupCallback,
  ): void => {
    this.resolver(hostname).then(
      (addresses) => {
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const candidates = addresses.filter((a) => family === undefined || a.family === family);
        const allowed = candidates.filter((a) => this.policy(a.address) === null);
        if (allowed.length === 0) {
          const reason = candidates.length ? this.policy(candidates[0]!.address)! : 'unresolved';
          return callback(asSocketError(new OutboundTargetForbiddenError(hostname, reason)), []);
        }
        if (options.all) return callback(null, allowed);
        callback(null, allowed[0]!.address, allowed[0]!.family);
      },
      (error: Error) => callback(error, []),
    );
  };

  /** Refuses bodies over the cap: by Content-Length up front, and while streaming for the rest. */
  private capped(response: Response, url: string): Response {
    const limit = this.maxResponseBytes;
    if (Number(response.headers.get('content-length') ?? 0) > limit) {
      void response.body?.cancel();
      throw new OutboundResponseTooLargeError(url, limit);
    }
    if (!response.body) return response;
    let seen = 0;
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > limit) controller.error(new OutboundResponseTooLargeError(url, limit));
          else controller.enqueue(chunk);
        },
      }),
    );
    const limited = new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    // A constructed Response has no url / redirected; the clients (openid-client, oidc-provider) may read them.
    Object.defineProperties(limited, { url: { value: response.url }, redirected: { value: response.redirected } });
    return limited;
  }
}

const shared = new Map<boolean, OutboundGuard>();

/** The process-wide guard for one setting of `OUTBOUND_ALLOW_PRIVATE_NETWORK` (one connection pool per process). */
export function outboundGuard(allowPrivateNetwork: boolean): OutboundGuard {
  let guard = shared.get(allowPrivateNetwork);
  if (!guard) shared.set(allowPrivateNetwork, (guard = new OutboundGuard({ allowPrivateNetwork })));
  return guard;
}
