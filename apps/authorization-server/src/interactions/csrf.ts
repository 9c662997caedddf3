import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * CSRF tokens for the hosted forms: an HMAC of the interaction id under a server key.
 * oidc-provider already binds an interaction to its browser through a cookie; the token
 * adds the classic synchronizer check, so a form posted from another site (which can
 * neither read the page nor compute the MAC) is refused. Keys derive from the keyring;
 * tokens made with a previous key still verify during a rotation.
 */
export class CsrfTokens {
  constructor(private readonly keys: Buffer[]) {
    if (keys.length === 0) throw new Error('at least one CSRF key is required');
  }

  issue(bindTo: string): string {
    return this.mac(this.keys[0]!, bindTo);
  }

  verify(bindTo: string, presented: unknown): boolean {
    if (typeof presented !== 'string' || presented.length === 0) return false;
    const candidate = Buffer.from(presented);
    return this.keys.some((key) => {
      const expected = Buffer.from(this.mac(key, bindTo));
      return expected.length === candidate.length && timingSafeEqual(expected, candidate);
    });
  }

  private mac(key: Buffer, bindTo: string): string {
    return createHmac('sha256', key).update(`csrf:${bindTo}`).digest('base64url');
  }
}
