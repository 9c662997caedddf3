import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT, type CryptoKey } from 'jose';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface MintOptions {
  expiresInSec?: number;
  /** Extra or overriding protected-header fields, for negative tests (typ, jku, ...). */
  header?: Record<string, unknown>;
  /** Sign with a key that is not published in the JWKS. */
  foreignKey?: boolean;
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
    readonly issuer: string,
  ) {}

  static async start(): Promise<TestTokenIssuer> {
    let published: () => JWK[] = () => [];
    const server = createServer((req, res) => {
      if (req.url !== '/jwks') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published() }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const issuer = new TestTokenIssuer(server, `http://127.0.0.1:${port}`);
    published = () => issuer.keys.map((k) => k.publicJwk);
    await issuer.rotate();
    return issuer;
  }

  get jwksUri(): string {
    return `${this.issuer}/jwks`;
  }

  /** Adds a new current signing key; older keys stay published unless dropped. */
  async rotate(options: { dropOld?: boolean } = {}): Promise<void> {
    const key = await newKey();
    this.keys = options.dropOld ? [key] : [key, ...this.keys];
  }

  async mint(claims: JWTPayload & Record<string, unknown>, options: MintOptions = {}): Promise<string> {
    const key = options.foreignKey ? await newKey() : this.keys[0]!;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iat: now, jti: randomUUID(), ...claims })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: key.kid, ...options.header } as never)
      .setIssuer(this.issuer)
      .setExpirationTime(now + (options.expiresInSec ?? 300))
      .sign(key.privateKey);
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
