import { decodeJwt } from 'jose';
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, request as httpsRequest, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { IDENTITY_API, type Platform, startPlatform } from './support/platform';

const RFC = 'RFC 8705';
const HEADER = 'x-ssl-client-cert';

interface KeyAndCert {
  key: string;
  cert: string;
}

/** Real certificates from openssl: a self-signed one, or one issued by `ca`. */
function makeCertificate(dir: string, name: string, subject: string, ca?: KeyAndCert): KeyAndCert {
  const [key, cert] = [join(dir, `${name}.key`), join(dir, `${name}.crt`)];
  execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
  if (!ca) {
    execFileSync('openssl', ['req', '-x509', '-new', '-key', key, '-subj', subject, '-days', '2', '-out', cert]);
  } else {
    const [caKey, caCert, csr] = [join(dir, `${name}-ca.key`), join(dir, `${name}-ca.crt`), join(dir, `${name}.csr`)];
    writeFileSync(caKey, ca.key);
    writeFileSync(caCert, ca.cert);
    execFileSync('openssl', ['req', '-new', '-key', key, '-subj', subject, '-out', csr]);
    execFileSync('openssl', [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      caCert,
      '-CAkey',
      caKey,
      '-CAcreateserial',
      '-days',
      '2',
      '-out',
      cert,
    ]);
  }
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

const thumbprint = (pem: string) => createHash('sha256').update(new X509Certificate(pem).raw).digest('base64url');

/**
 * What a TLS-terminating ingress does (nginx-ingress `auth-tls-pass-certificate-to-upstream`):
 * asks for a client certificate, and forwards the request with the certificate it got, URL-encoded
 * PEM, in the trusted header (a client's own copy of that header is dropped).
 */
async function tlsProxy(server: KeyAndCert, upstream: string): Promise<{ url: string; close: () => Promise<void> }> {
  const proxy: Server = createServer({ ...server, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerX509Certificate();
    const headers = { ...req.headers };
    delete headers[HEADER];
    if (peer) headers[HEADER] = encodeURIComponent(peer.toString());
    const target = new URL(req.url ?? '/', upstream);
    const forward = httpRequest(target, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => proxy.close(() => resolve())),
  };
}

interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- OAuth and API JSON of several shapes, as fetchJson
  body: any;
}

/** One HTTPS request through the proxy, presenting `client` (or no certificate). */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; client?: KeyAndCert },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        rejectUnauthorized: false,
        agent: false,
        ...(options.client ?? {}),
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('mutual TLS (RFC 8705) behind a TLS-terminating proxy', () => {
  let platform: Platform;
  let dir: string;
  let authzProxy: Awaited<ReturnType<typeof tlsProxy>>;
  let identityProxy: Awaited<ReturnType<typeof tlsProxy>>;
  let ca: KeyAndCert;
  let selfSigned: KeyAndCert;
  let other: KeyAndCert;
  let issued: KeyAndCert;
  let selfSignedClientId: string;
  let accessToken: string;
  let tenantId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mtls-e2e-'));
    const serverCert = makeCertificate(dir, 'server', '/CN=127.0.0.1');
    ca = makeCertificate(dir, 'ca', '/CN=Partner Test CA');
    selfSigned = makeCertificate(dir, 'self', '/CN=self-signed partner');
    other = makeCertificate(dir, 'other', '/CN=someone else');
    issued = makeCertificate(dir, 'issued', '/C=DE/O=Partner GmbH/CN=billing.partner.example', ca);
    const caFile = join(dir, 'client-ca.pem');
    writeFileSync(caFile, ca.cert);
    const mtls = { TRUST_PROXY: 'true', MTLS_CLIENT_CERTIFICATE_HEADER: HEADER };
    platform = await startPlatform('mtls', {
      authz: { ...mtls, MTLS_CLIENT_CA_FILE: caFile },
      identity: mtls,
    });
    authzProxy = await tlsProxy(serverCert, platform.issuer);
    identityProxy = await tlsProxy(serverCert, platform.identityUrl);
    tenantId = (await platform.createTenant('mtls-corp')).id;

    const jwk = createPublicKey(selfSigned.cert).export({ format: 'jwk' });
    const x5c = [new X509Certificate(selfSigned.cert).raw.toString('base64')];
    selfSignedClientId = (
      await platform.createClient({
        name: 'Self-signed partner',
        type: 'service',
        tenantId,
        scopes: ['identity.users.read'],
        tokenEndpointAuthMethod: 'self_signed_tls_client_auth',
        tlsClientCertificateBoundAccessTokens: true,
        jwks: { keys: [{ ...jwk, use: 'sig', x5c }] },
      })
    ).clientId;
  });

  afterAll(async () => {
    await authzProxy?.close();
    await identityProxy?.close();
    await platform?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const clientCredentials = (clientId: string, client?: KeyAndCert) =>
    send(`${authzProxy.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        scope: 'identity.users.read',
        resource: IDENTITY_API,
      }).toString(),
      client,
    });

  it('discovery announces certificate-bound access tokens and the mTLS auth methods', async () => {
    const res = await send(`${authzProxy.url}/.well-known/openid-configuration`, {});
    expect(res.status).toBe(200);
    expect(res.body.tls_client_certificate_bound_access_tokens).toBe(true);
    expect(res.body.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(['self_signed_tls_client_auth', 'tls_client_auth']),
    );
  });

  it(`${RFC} §2.2: a self_signed_tls_client_auth client gets a token bound to its certificate (cnf.x5t#S256)`, async () => {
    const res = await clientCredentials(selfSignedClientId, selfSigned);
    expect(res).toMatchObject({ status: 200, body: { token_type: 'Bearer' } });
    accessToken = res.body.access_token;
    expect(decodeJwt(accessToken).cnf).toEqual({ 'x5t#S256': thumbprint(selfSigned.cert) });
  });

  it(`${RFC} §2.2: without a certificate, or with another one, the client is refused (invalid_client)`, async () => {
    expect(await clientCredentials(selfSignedClientId)).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    });
    expect(await clientCredentials(selfSignedClientId, other)).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    });
  });

  it(`${RFC} §3: the identity backend accepts the bound token only over the bound certificate`, async () => {
    const users = (client?: KeyAndCert) =>
      send(`${identityProxy.url}/api/v1/users`, { headers: { authorization: `Bearer ${accessToken}` }, client });
    expect((await users(selfSigned)).status).toBe(200);
    const without = await users();
    expect(without).toMatchObject({ status: 401, body: { error: { code: 'invalid_token' } } });
    expect(without.body.error.message).toMatch(/certificate/i);
    expect(await users(other)).toMatchObject({ status: 401, body: { error: { code: 'invalid_token' } } });
    // Straight to the backend without the proxy's header: no certificate, refused.
    const direct = await fetch(`${platform.identityUrl}/api/v1/users`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(direct.status).toBe(401);
  });

  it(`${RFC} §2.1: a tls_client_auth client authenticates with a CA-issued certificate matching its subject DN`, async () => {
    const { clientId } = await platform.createClient({
      name: 'CA partner',
      type: 'service',
      tenantId,
      scopes: ['identity.users.read'],
      tokenEndpointAuthMethod: 'tls_client_auth',
      tlsClientAuthSubjectDn: 'CN=billing.partner.example,O=Partner GmbH,C=DE',
      tlsClientCertificateBoundAccessTokens: true,
    });
    const ok = await clientCredentials(clientId, issued);
    expect(ok.status).toBe(200);
    expect(decodeJwt(ok.body.access_token).cnf).toEqual({ 'x5t#S256': thumbprint(issued.cert) });
    // Self-signed, not from the trusted CA, even with a matching subject: refused.
    const forged = makeCertificate(dir, 'forged', '/C=DE/O=Partner GmbH/CN=billing.partner.example');
    expect(await clientCredentials(clientId, forged)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    // From the CA, but another subject: refused.
    const sibling = makeCertificate(dir, 'sibling', '/C=DE/O=Partner GmbH/CN=other.partner.example', ca);
    expect(await clientCredentials(clientId, sibling)).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    });
  });
});
