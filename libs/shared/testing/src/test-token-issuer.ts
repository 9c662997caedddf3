import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload, SignJWT } from 'jose';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface MintOptions {
  /** Lifetime from now (default 300 s); an `exp` claim passed in wins. */
  expiresInSec?: number;
  /** Extra or overriding protected-header fields, for negative tests (typ, jku, kid, ...). */
  header?: Record<string, unknown>;
  /** Sign with a fresh key that is not published in the JWKS. */
  foreignKey?: boolean;
  /** Sign with any algorithm and key (e.g. HS256 keyed with the public JWK: key confusion). */
  signWith?: { alg: string; key: CryptoKey | Uint8Array };
}

export interface TestTokenIssuerOptions {
  /** The `iss` of minted tokens (default: the JWKS server's own base URL). */
  issuer?: string;
}

/**
 * A stand-in authorization server for resource-server tests: an ES256 key published
 * as a JWKS over HTTP on 127.0.0.1, and RFC 9068 access tokens minted with it. The
 * code under test verifies them exactly as it verifies real ones.
 */
export class TestTokenIssuer {
  private keys: SigningKey[] = [];

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    readonly issuer: string,
  ) {}

  static async start(options: TestTokenIssuerOptions = {}): Promise<TestTokenIssuer> {
    let published: () => JWK[] = () => [];
    const server = createServer((req, res) => {
      if (req.url !== '/jwks') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published() }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const issuer = new TestTokenIssuer(server, baseUrl, options.issuer ?? baseUrl);
    published = () => issuer.publicJwks;
    await issuer.rotate();
    return issuer;
  }

  get jwksUri(): string {
    return `${this.baseUrl}/jwks`;
  }

  /** The keys currently served at `jwksUri`, newest first. */
  get publicJwks(): JWK[] {
    return this.keys.map((k) => k.publicJwk);
  }

  /** Makes a new key the signing key and returns its kid; older keys stay published unless dropped. */
  async rotate(options: { dropOld?: boolean } = {}): Promise<string> {
    const key = await newKey();
    this.keys = options.dropOld ? [key] : [key, ...this.keys];
    return key.kid;
  }

  /** An access token with iss, iat, exp and jti filled in; `claims` override any of them. */
  async mint(claims: JWTPayload & Record<string, unknown>, options: MintOptions = {}): Promise<string> {
    const key = options.foreignKey ? await newKey() : this.keys[0]!;
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      iss: this.issuer,
      iat: now,
      exp: now + (options.expiresInSec ?? 300),
      jti: randomUUID(),
      ...claims,
    };
    const alg = options.signWith?.alg ?? 'ES256';
    return new SignJWT(payload)
      .setProtectedHeader({ alg, typ: 'at+jwt', kid: key.kid, ...options.header } as never)
      .sign(options.signWith?.key ?? key.privateKey);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function newKey(): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}
