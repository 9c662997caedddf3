import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateThumbprint, parseCertificateHeader, requestClientCertificate } from './client-certificate';

describe('client certificates (RFC 8705)', () => {
  let pem: string;
  let der: Buffer;

  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'client-cert-'));
    const [key, cert] = [join(dir, 'k.pem'), join(dir, 'c.pem')];
    execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
    execFileSync('openssl', ['req', '-x509', '-new', '-key', key, '-subj', '/CN=unit', '-days', '1', '-out', cert]);
    pem = readFileSync(cert, 'utf8');
    der = new X509Certificate(pem).raw;
    rmSync(dir, { recursive: true, force: true });
  });

  it('thumbprint is the base64url SHA-256 of the DER certificate', () => {
    const expected = createHash('sha256').update(der).digest('base64url');
    expect(certificateThumbprint(new X509Certificate(pem))).toBe(expected);
    expect(expected).not.toMatch(/[+/=]/);
  });

  it.each([
    ['URL-encoded PEM (nginx-ingress)', () => encodeURIComponent(pem)],
    ['PEM with folded line breaks', () => pem.replace(/\n/g, ' ')],
    ['bare base64 DER', () => der.toString('base64')],
    [
      'an Envoy XFCC element list (last hop wins)',
      () => `By=spiffe://a;Hash=x;Cert="bogus",By=b;Cert="${encodeURIComponent(pem)}"`,
    ],
  ])('parses %s', (_what, header) => {
    expect(parseCertificateHeader(header())?.raw.equals(der)).toBe(true);
  });

  it.each([
    [undefined],
    [''],
    ['not a certificate'],
    ['%E0%A4%A'],
    ['-----BEGIN CERTIFICATE-----AAAA-----END CERTIFICATE-----'],
  ])('finds no certificate in %j', (value) => expect(parseCertificateHeader(value)).toBeNull());

  it('reads the header only from a trusted proxy, and then never the socket', () => {
    const req = { headers: { 'x-ssl-client-cert': encodeURIComponent(pem) }, socket: new Socket() };
    expect(requestClientCertificate(req, { header: 'X-SSL-Client-Cert', trustProxy: true })?.raw.equals(der)).toBe(
      true,
    );
    expect(requestClientCertificate(req, { header: 'x-ssl-client-cert', trustProxy: false })).toBeNull();
    // No header configured: a plain-TCP request has no certificate, whatever headers it sends.
    expect(requestClientCertificate(req, {})).toBeNull();
  });
});
