import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { type ClientCertificateOptions, certificateThumbprint, requestClientCertificate } from './client-certificate';
import { DpopProofVerifier, type DpopProofVerifierOptions } from './dpop-proof-verifier';
import { JwtAccessTokenVerifier } from './jwt-access-token-verifier';
import type { Principal } from './principal';
import { type ExternalUrlOptions, externalRequestUrl } from './request-url';
import { type AuthScheme, ResourceServerError, ResourceServerErrorCode } from './resource-server-error';

/** Sender-constraint settings of a resource server (RFC 9449 DPoP). */
export interface DpopOptions extends DpopProofVerifierOptions, ExternalUrlOptions {}

/** The parts of an HTTP request authentication reads (an Express request has them all). */
export interface AuthenticatedRequestLine {
  method: string;
  /** Path and query as the client sent them (Express `originalUrl`). */
  originalUrl?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  socket: Socket;
}

export interface Authentication {
  principal: Principal;
  scheme: AuthScheme;
}

// RFC 7235 §2.1: the scheme name is case-insensitive; RFC 6750 §2.1 b64token.
const AUTHORIZATION = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * Establishes the caller of a request: a valid access token, presented as its binding demands.
 * - no `cnf`: a bearer token; also accepted with the DPoP scheme and a valid proof (RFC 9449 §7.2);
 * - `cnf.jkt`: only with the DPoP scheme and a proof signed by that key for this request (§7.1);
 * - `cnf.x5t#S256` (RFC 8705 §3): only when the request presents that client certificate (from the
 *   trusted proxy header, or the TLS connection itself); a token bound both ways needs both.
 */
export class RequestAuthenticator {
  private readonly dpop: DpopProofVerifier;

  constructor(
    private readonly tokens: JwtAccessTokenVerifier,
    private readonly options: DpopOptions = {},
    private readonly certificates: ClientCertificateOptions = {},
  ) {
    this.dpop = new DpopProofVerifier(options);
  }

  async authenticate(req: AuthenticatedRequestLine): Promise<Authentication> {
    const { scheme, token } = credentials(req.headers.authorization);
    let principal: Principal;
    try {
      principal = await this.tokens.verify(token);
    } catch (error) {
      if (error instanceof ResourceServerError && error.code === ResourceServerErrorCode.InvalidToken) {
        throw new ResourceServerError(error.code, error.message, scheme);
      }
      throw error;
    }
    const cnf = principal.claims.cnf;
    if (cnf === undefined && scheme === 'Bearer') return { principal, scheme };

    const binding = typeof cnf === 'object' && cnf !== null ? (cnf as Record<string, unknown>) : undefined;
    if (cnf !== undefined && !binding) throw invalidToken('The access token cnf claim is malformed', scheme);
    const certificateBound = binding !== undefined && 'x5t#S256' in binding;
    if (certificateBound) this.checkCertificateBinding(req, binding['x5t#S256'], scheme);
    const jkt = binding ? binding.jkt : undefined;
    // Bound to the certificate only: as a bearer token it is done; with the DPoP scheme the proof is still checked.
    if (certificateBound && jkt === undefined && scheme === 'Bearer') return { principal, scheme };
    if (binding && !certificateBound && typeof jkt !== 'string') {
      throw invalidToken('The access token is bound by a confirmation method this API does not support', scheme);
    }
    if (scheme === 'Bearer') {
      // RFC 9449 §7.2: a DPoP-bound token presented as a bearer token is refused, with a DPoP challenge.
      throw invalidToken('The access token is DPoP-bound: present it with the DPoP scheme and a proof', 'DPoP');
    }
    const url = externalRequestUrl(
      { url: req.originalUrl ?? req.url ?? '/', headers: req.headers, encrypted: req.socket instanceof TLSSocket },
      this.options,
    );
    if (!url) throw invalidToken('The request URL cannot be determined', 'DPoP');
    await this.dpop.verify(req.headers.dpop, {
      method: req.method,
      url,
      accessToken: token,
      jkt: typeof jkt === 'string' ? jkt : undefined,
    });
    return { principal, scheme };
  }

  /** RFC 8705 §3.1: the SHA-256 thumbprint of the presented certificate must equal `cnf.x5t#S256`. */
  private checkCertificateBinding(req: AuthenticatedRequestLine, expected: unknown, scheme: AuthScheme): void {
    if (typeof expected !== 'string') throw invalidToken('The access token cnf claim is malformed', scheme);
    const certificate = requestClientCertificate(req, this.certificates);
    if (!certificate) {
      throw invalidToken(
        'The access token is bound to a client certificate (mTLS): present it over a TLS connection with that certificate',
        scheme,
      );
    }
    if (certificateThumbprint(certificate) !== expected) {
      throw invalidToken('The access token is bound to another client certificate than the one presented', scheme);
    }
  }
}

function credentials(header: string | undefined): { scheme: AuthScheme; token: string } {
  if (!header) throw new ResourceServerError(ResourceServerErrorCode.MissingToken, 'An access token is required');
  const match = AUTHORIZATION.exec(header);
  if (!match) {
    throw invalidToken('The Authorization header is not a Bearer or DPoP access token', 'Bearer');
  }
  return { scheme: match[1]!.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer', token: match[2]! };
}

const invalidToken = (message: string, scheme: AuthScheme) =>
  new ResourceServerError(ResourceServerErrorCode.InvalidToken, message, scheme);
