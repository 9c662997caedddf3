import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caBundle, certificateSubjectMatches, issuedByTrustedCa, subjectAltNames, subjectDnMatches } from './mtls';

describe('tls_client_auth checks (RFC 8705 §2.1)', () => {
  let dir: string;
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir });
  // A new P-256 key in `<name>.key` and either a self-signed certificate or a request for one.
  const newKey = (name: string, subject: string) =>
    `-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ${name}.key -days 1`
      .split(' ')
      .concat('-subj', subject);
  const selfSigned = (name: string, subject: string) => {
    openssl('req', '-x509', ...newKey(name, subject), '-out', `${name}.crt`);
    return new X509Certificate(readFileSync(join(dir, `${name}.crt`)));
  };
  let ca: X509Certificate;
  let otherCa: X509Certificate;
  let issued: X509Certificate;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mtls-spec-'));
    ca = selfSigned('ca', '/CN=Test CA');
    otherCa = selfSigned('other-ca', '/CN=Other CA');
    openssl('req', ...newKey('leaf', '/C=DE/O=Acme, Inc./CN=app.acme.example'), '-out', 'leaf.csr');
    writeFileSync(
      join(dir, 'ext.cnf'),
      'subjectAltName=DNS:app.acme.example,URI:spiffe://acme/app,IP:10.0.0.7,email:ops@acme.example\n',
    );
    openssl(
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      'ext.cnf',
      '-out',
      'leaf.crt',
    );
    issued = new X509Certificate(readFileSync(join(dir, 'leaf.crt')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trusts certificates issued by a CA of the bundle, not self-signed look-alikes or other CAs', () => {
    const bundle = caBundle(`${otherCa.toString()}\n${ca.toString()}`);
    expect(bundle).toHaveLength(2);
    expect(issuedByTrustedCa(issued, bundle)).toBe(true);
    expect(issuedByTrustedCa(issued, [otherCa])).toBe(false);
    expect(issuedByTrustedCa(selfSigned('look-alike', '/CN=Test CA'), bundle)).toBe(false);
    expect(issuedByTrustedCa(issued, bundle, new Date(Date.now() + 3 * 86_400_000))).toBe(false);
  });

  it('matches the subject DN in RFC 4514 order (escaped commas) or the certificate order, and nothing else', () => {
    expect(subjectDnMatches(issued, 'CN=app.acme.example,O=Acme\\, Inc.,C=DE')).toBe(true);
    expect(subjectDnMatches(issued, 'c=DE, o=Acme\\, Inc., cn=app.acme.example')).toBe(true);
    expect(subjectDnMatches(issued, 'CN=app.acme.example,O=Acme\\, Inc.')).toBe(false);
    expect(subjectDnMatches(issued, 'CN=evil.acme.example,O=Acme\\, Inc.,C=DE')).toBe(false);
  });

  it('matches subject alternative names by type', () => {
    expect(subjectAltNames(issued, 'DNS')).toEqual(['app.acme.example']);
    expect(certificateSubjectMatches(issued, 'tls_client_auth_san_dns', 'APP.acme.example')).toBe(true);
    expect(certificateSubjectMatches(issued, 'tls_client_auth_san_uri', 'spiffe://acme/app')).toBe(true);
    expect(certificateSubjectMatches(issued, 'tls_client_auth_san_ip', '10.0.0.7')).toBe(true);
    expect(certificateSubjectMatches(issued, 'tls_client_auth_san_email', 'ops@acme.example')).toBe(true);
    expect(certificateSubjectMatches(issued, 'tls_client_auth_san_dns', 'spiffe://acme/app')).toBe(false);
    expect(certificateSubjectMatches(issued, 'tls_client_auth_san_ip', '10.0.0.8')).toBe(false);
  });
});
