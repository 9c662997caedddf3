import { type ClientCertificateOptions, requestClientCertificate } from '@platform/resource-server';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { ClientAuthMethod, MTLSConfiguration } from 'oidc-provider';

/** The settings of RFC 8705 mutual TLS (see config.ts MTLS_*). */
export interface MtlsSettings {
  MTLS_CLIENT_CERTIFICATE_HEADER?: string;
  MTLS_CLIENT_CA_FILE?: string;
  TRUST_PROXY: boolean;
}

interface CertificateContext {
  req: IncomingMessage;
}

/** The CA certificates of a PEM bundle. */
export function caBundle(pem: string): X509Certificate[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(
    (block) => new X509Certificate(block),
  );
}

/** Issued and signed by one of the CAs, and valid now (the tls_client_auth PKI check; one level, no chains). */
export function issuedByTrustedCa(certificate: X509Certificate, cas: readonly X509Certificate[], now = new Date()) {
  if (now < new Date(certificate.validFrom) || now > new Date(certificate.validTo)) return false;
  return cas.some((ca) => certificate.checkIssued(ca) && certificate.verify(ca.publicKey));
}

const unquote = (value: string) => (value.startsWith('"') && value.endsWith('"') ? JSON.parse(value) : value);

/** RDNs as `TYPE=value`, from an RFC 4514 string (`CN=x,O=y,C=z`) or node's one-per-line `subject`. */
function distinguishedName(value: string, separator: RegExp): string[] {
  return value
    .split(separator)
    .map((rdn) => rdn.trim())
    .filter(Boolean)
    .map((rdn) => {
      const at = rdn.indexOf('=');
      const type = rdn.slice(0, at).trim().toUpperCase();
      const raw = rdn.slice(at + 1).trim();
      return `${type}=${unquote(raw).replace(/\\(.)/g, '$1')}`;
    });
}

/**
 * RFC 8705 §2.1.2: the registered subject DN (RFC 4514, most specific RDN first) names the
 * certificate's subject; the order in either direction is accepted, types are case-insensitive.
 */
export function subjectDnMatches(certificate: X509Certificate, expected: string): boolean {
  const actual = distinguishedName(certificate.subject, /\n/);
  const wanted = distinguishedName(expected, /(?<!\\),/);
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((rdn, i) => rdn === b[i]);
  return same(actual, wanted) || same(actual, [...wanted].reverse());
}

const SAN_TYPES: Record<string, string> = {
  tls_client_auth_san_dns: 'DNS',
  tls_client_auth_san_uri: 'URI',
  tls_client_auth_san_ip: 'IP Address',
  tls_client_auth_san_email: 'email',
};

/** The values of one subjectAltName type (node quotes values holding commas as JSON strings). */
export function subjectAltNames(certificate: X509Certificate, type: string): string[] {
  const names = certificate.subjectAltName ?? '';
  const entries = names.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? [];
  return entries
    .map((entry) => entry.trim())
    .filter((entry) => entry.startsWith(`${type}:`))
    .map((entry) => unquote(entry.slice(type.length + 1)));
}

/** A registered tls_client_auth_* value against the certificate. */
export function certificateSubjectMatches(certificate: X509Certificate, property: string, expected: string): boolean {
  if (property === 'tls_client_auth_subject_dn') return subjectDnMatches(certificate, expected);
  const type = SAN_TYPES[property];
  if (!type) return false;
  const values = subjectAltNames(certificate, type);
  return type === 'DNS' ? values.some((v) => v.toLowerCase() === expected.toLowerCase()) : values.includes(expected);
}

/**
 * oidc-provider's `features.mTLS`: on when a trusted proxy forwards client certificates
 * (MTLS_CLIENT_CERTIFICATE_HEADER). self_signed_tls_client_auth and certificate-bound tokens then
 * always work; tls_client_auth also needs the CAs that issue client certificates (MTLS_CLIENT_CA_FILE),
 * checked here so that whatever the ingress verified, only those CAs' certificates authenticate.
 */
export function mtlsFeature(config: MtlsSettings): { feature: MTLSConfiguration; authMethods: ClientAuthMethod[] } {
  if (!config.MTLS_CLIENT_CERTIFICATE_HEADER) return { feature: { enabled: false }, authMethods: [] };
  const options: ClientCertificateOptions = {
    header: config.MTLS_CLIENT_CERTIFICATE_HEADER,
    trustProxy: config.TRUST_PROXY,
  };
  const cas = config.MTLS_CLIENT_CA_FILE ? caBundle(readFileSync(config.MTLS_CLIENT_CA_FILE, 'utf8')) : [];
  const certificateOf = (ctx: CertificateContext) =>
    requestClientCertificate({ headers: ctx.req.headers, socket: ctx.req.socket as Socket }, options);
  return {
    feature: {
      enabled: true,
      certificateBoundAccessTokens: true,
      selfSignedTlsClientAuth: true,
      tlsClientAuth: cas.length > 0,
      getCertificate: (ctx: CertificateContext) => certificateOf(ctx) ?? undefined,
      certificateAuthorized: (ctx: CertificateContext) => {
        const certificate = certificateOf(ctx);
        return certificate !== null && issuedByTrustedCa(certificate, cas);
      },
      certificateSubjectMatches: (ctx: CertificateContext, property: string, expected: string) => {
        const certificate = certificateOf(ctx);
        return certificate !== null && certificateSubjectMatches(certificate, property, expected);
      },
    },
    authMethods: cas.length ? ['self_signed_tls_client_auth', 'tls_client_auth'] : ['self_signed_tls_client_auth'],
  };
}
