import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import {
  type OutboundGuard,
  outboundGuard,
  outboundRefusalOf,
  OutboundResponseTooLargeError,
} from '@platform/outbound';
import { IDENTITY_CONFIG } from '../../common/tokens';
import type { IdentityBackendConfig } from '../../config';
import { IdpConnectionTestView, type IdpConnectionCode } from '../dto/idp-connection-test.dto';
import { IdentityProvidersRepository } from '../identity-providers.repository';
import { DISCOVERY_TIMEOUT_MS, discoveryUrlOf } from '../idp-outbound-check';

/** "Test connection": the discovery a sign-in through this provider would run, without signing anyone in. */
export class TestIdpConnectionQuery extends Query<IdpConnectionTestView> {
  constructor(
    readonly tenantId: string,
    readonly idpId: string,
  ) {
    super();
  }
}

@QueryHandler(TestIdpConnectionQuery)
export class TestIdpConnectionHandler implements IQueryHandler<TestIdpConnectionQuery> {
  constructor(
    private readonly idps: IdentityProvidersRepository,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityBackendConfig,
  ) {}

  async execute({ tenantId, idpId }: TestIdpConnectionQuery): Promise<IdpConnectionTestView> {
    const idp = await this.idps.get(tenantId, idpId);
    const allowPrivate = this.config.OUTBOUND_ALLOW_PRIVATE_NETWORK;
    return probeDiscovery(outboundGuard(allowPrivate), idp.issuer, { allowInsecure: allowPrivate });
  }
}

/** Endpoints a sign-in needs from the discovery document (RFC 8414 / OIDC Discovery 1.0 §3). */
const REQUIRED = ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const;

/**
 * Fetches the issuer's discovery document and its JWKS through the outbound guard, and says in
 * one machine-readable code what a sign-in would run into. A failure is a result (200), not an
 * API error: the provider's configuration is fine to read, the provider is what is broken.
 */
export async function probeDiscovery(
  guard: OutboundGuard,
  issuer: string,
  { allowInsecure }: { allowInsecure: boolean },
): Promise<IdpConnectionTestView> {
  const started = performance.now();
  const discoveryUrl = discoveryUrlOf(issuer);
  const result = (code: IdpConnectionCode, message: string, found: Partial<IdpConnectionTestView> = {}) =>
    Object.assign(new IdpConnectionTestView(), {
      ok: code === 'ok',
      code,
      message,
      discoveryUrl,
      httpStatus: null,
      issuer: null,
      authorizationEndpoint: null,
      tokenEndpoint: null,
      userinfoEndpoint: null,
      jwksUri: null,
      jwksKeys: null,
      ...found,
      durationMs: Math.round(performance.now() - started),
    });

  // Sign-in (openid-client) refuses plain http unless private-network calls are allowed.
  if (new URL(issuer).protocol === 'http:' && !allowInsecure) {
    return result('insecure_issuer', 'The issuer must use https');
  }
  const fetched = await fetchJson(guard, discoveryUrl);
  if (!fetched.ok) return result(fetched.code, fetched.message, { httpStatus: fetched.httpStatus });
  const document = fetched.body;
  const field = (name: string) => (typeof document[name] === 'string' ? (document[name] as string) : null);
  const found: Partial<IdpConnectionTestView> = {
    httpStatus: fetched.httpStatus,
    issuer: field('issuer'),
    authorizationEndpoint: field('authorization_endpoint'),
    tokenEndpoint: field('token_endpoint'),
    userinfoEndpoint: field('userinfo_endpoint'),
    jwksUri: field('jwks_uri'),
  };
  const missing = REQUIRED.filter((name) => !field(name) || !URL.canParse(field(name)!));
  if (missing.length > 0) {
    return result('invalid_document', `The discovery document lacks ${missing.join(', ')}`, found);
  }
  // Compared as URLs, like openid-client does at sign-in (a bare origin gains its trailing slash).
  if (!found.issuer || !URL.canParse(found.issuer) || new URL(found.issuer).href !== new URL(issuer).href) {
    return result('issuer_mismatch', `The document names the issuer ${found.issuer ?? '(none)'}, not ${issuer}`, found);
  }
  const jwks = await fetchJson(guard, found.jwksUri!);
  if (!jwks.ok && jwks.code === 'target_forbidden') return result(jwks.code, jwks.message, found);
  const keys = jwks.ok ? jwks.body.keys : undefined;
  if (!Array.isArray(keys)) {
    const problem = jwks.ok ? 'no "keys" array' : jwks.message;
    return result('jwks_unavailable', `The provider's signing keys (jwks_uri) cannot be read: ${problem}`, found);
  }
  return result('ok', `Discovery succeeded: ${keys.length} signing key(s) published`, {
    ...found,
    jwksKeys: keys.length,
  });
}

type Fetched =
  | { ok: true; httpStatus: number; body: Record<string, unknown> }
  | { ok: false; code: IdpConnectionCode; message: string; httpStatus: number | null };

async function fetchJson(guard: OutboundGuard, url: string): Promise<Fetched> {
  let res: Response;
  try {
    res = await guard.fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
    });
  } catch (error) {
    return { ok: false, httpStatus: null, ...failureOf(error, url) };
  }
  if (!res.ok) {
    void res.body?.cancel();
    return { ok: false, code: 'http_error', message: `${url} answered HTTP ${res.status}`, httpStatus: res.status };
  }
  try {
    const body: unknown = await res.json();
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not a JSON object');
    return { ok: true, httpStatus: res.status, body: body as Record<string, unknown> };
  } catch (error) {
    const reason = error instanceof OutboundResponseTooLargeError ? 'too large' : 'not a JSON object';
    return { ok: false, code: 'invalid_document', message: `${url} is ${reason}`, httpStatus: res.status };
  }
}

/** What went wrong on the way to the provider, from fetch's error and its cause chain. */
function failureOf(error: unknown, url: string): { code: IdpConnectionCode; message: string } {
  const refusal = outboundRefusalOf(error);
  if (refusal) {
    return {
      code: 'target_forbidden',
      message: `${refusal.target} is not on the public internet (${refusal.reason}): the platform does not call it`,
    };
  }
  if (error instanceof OutboundResponseTooLargeError)
    return { code: 'invalid_document', message: `${url} is too large` };
  const causes: { name?: string; code?: string; message?: string }[] = [];
  for (let e = error as { cause?: unknown } | undefined; e && causes.length < 8; e = e.cause as typeof e) {
    causes.push(e as { name?: string; code?: string; message?: string });
  }
  if (causes.some((e) => e.name === 'TimeoutError' || e.name === 'AbortError' || /TIMEOUT/.test(e.code ?? ''))) {
    return { code: 'timeout', message: `${url} did not answer within ${DISCOVERY_TIMEOUT_MS / 1000} s` };
  }
  const detail = causes[causes.length - 1];
  return {
    code: 'unreachable',
    message: `${url} cannot be reached (${detail?.code ?? detail?.message ?? 'network error'})`,
  };
}
