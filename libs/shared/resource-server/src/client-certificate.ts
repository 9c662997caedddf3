import { createHash, X509Certificate } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

/** Where a service finds the TLS client certificate of a request (RFC 8705). */
export interface ClientCertificateOptions {
  /**
   * Header in which the TLS-terminating proxy / ingress forwards the client certificate it
   * received, e.g. `x-ssl-client-cert` (nginx-ingress `auth-tls-pass-certificate-to-upstream`:
   * URL-encoded PEM) or `x-forwarded-client-cert` (Envoy: `Cert="<URL-encoded PEM>"`). Read only
   * with `trustProxy`, and then exclusively: the socket's peer is the proxy, not the client.
   */
  header?: string;
  /** The header comes from a trusted proxy that removes any copy a client sent. */
  trustProxy?: boolean;
}

export interface CertificateRequest {
  headers: IncomingHttpHeaders;
  socket: Socket;
}

/**
 * The client certificate of a request: from the trusted header when one is configured,
 * otherwise the peer certificate of the TLS connection (when this process terminates TLS).
 */
export function requestClientCertificate(
  req: CertificateRequest,
  options: ClientCertificateOptions = {},
): X509Certificate | null {
  if (options.header) {
    if (!options.trustProxy) return null;
    const value = req.headers[options.header.toLowerCase()];
    return parseCertificateHeader(Array.isArray(value) ? value[0] : value);
  }
  if (req.socket instanceof TLSSocket) return req.socket.getPeerX509Certificate() ?? null;
  return null;
}

/**
 * A certificate as proxies forward it: URL-encoded PEM (nginx `$ssl_client_escaped_cert`, AWS
 * ALB), PEM with its line breaks folded into spaces, bare base64 DER (Traefik), or an Envoy
 * `x-forwarded-client-cert` element list (its last element is the hop in front of us). Null when
 * absent or unparseable: the request then simply has no certificate.
 */
export function parseCertificateHeader(value: string | undefined): X509Certificate | null {
  if (!value?.trim()) return null;
  let text = value.trim();
  const xfcc = /(?:^|[;,])\s*Cert="([^"]*)"/gi;
  let element: RegExpExecArray | null;
  let last: string | undefined;
  while ((element = xfcc.exec(text))) last = element[1];
  if (last !== undefined) text = last;
  if (text.includes('%')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return null;
    }
  }
  const base64 = text.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+=*$/.test(base64)) return null;
  try {
    return new X509Certificate(Buffer.from(base64, 'base64'));
  } catch {
    return null;
  }
}

/** RFC 8705 §3.1 `x5t#S256`: the base64url SHA-256 of the certificate's DER encoding. */
export const certificateThumbprint = (certificate: X509Certificate): string =>
  createHash('sha256').update(certificate.raw).digest('base64url');
