import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  type CryptoKey,
  type JWK,
  type JWTHeaderParameters,
  SignJWT,
} from 'jose';

// Spec support only (not exported). @platform/testing has the full TestTokenIssuer,
// but this library must not depend on the test harness, so its specs carry their own.

export interface LocalKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

export const newKey = async (kid: string): Promise<LocalKey> => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  return { kid, privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256' } };
};

/** A real JWKS endpoint on loopback and RFC 9068 tokens signed for it. */
export async function startLocalIssuer(audience: string) {
  let current = await newKey('k1');
  let published: JWK[] = [current.jwk];
  // Lets a spec break the endpoint (status, body) the way a sick authorization server would.
  let reply: () => { status: number; body: string } = () => ({
    status: 200,
    body: JSON.stringify({ keys: published }),
  });
  let fetches = 0;

  const server = createServer((_req, res) => {
    fetches += 1;
    const { status, body } = reply();
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  return {
    issuer,
    audience,
    jwksUri: `${issuer}/jwks`,
    get key() {
      return current;
    },
    get fetches() {
      return fetches;
    },
    /** Signs with `key` (default: the published one); claims and header override the defaults. */
    sign(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}, key: LocalKey = current) {
      const now = Math.floor(Date.now() / 1000);
      const payload = {
        iss: issuer,
        aud: audience,
        sub: 'user-1',
        client_id: 'app',
        iat: now,
        exp: now + 300,
        ...claims,
      };
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: key.kid, ...header } as never)
        .sign(key.privateKey);
    },
    /** Publishes a new signing key next to the old one, as a key rotation does. */
    async rotate(kid: string) {
      current = await newKey(kid);
      published = [current.jwk, ...published];
    },
    breakWith(status: number, body: string) {
      reply = () => ({ status, body });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type LocalIssuer = Awaited<ReturnType<typeof startLocalIssuer>>;

/** A client's DPoP key: `jkt` is what a token bound to it carries in `cnf`. */
export const newDpopKey = async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(pair.publicKey);
  return { privateKey: pair.privateKey, jwk, jkt: await calculateJwkThumbprint(jwk) };
};

export type DpopKey = Awaited<ReturnType<typeof newDpopKey>>;

/** A DPoP proof (RFC 9449 §4.2) for `token` at `htm` `htu`; claims and header override (undefined drops). */
export function dpopProof(
  key: DpopKey,
  request: { htm: string; htu: string; token: string },
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
) {
  const payload = {
    htm: request.htm,
    htu: request.htu,
    iat: Math.floor(Date.now() / 1000),
    jti: randomUUID(),
    ath: createHash('sha256').update(request.token).digest('base64url'),
    ...claims,
  };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: key.jwk, ...header } as JWTHeaderParameters)
    .sign(key.privateKey);
}
