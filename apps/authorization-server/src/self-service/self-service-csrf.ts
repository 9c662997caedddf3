import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { AuthorizationServerConfig } from '../config';
import { CsrfTokens } from '../interactions/csrf';
import { AUTHZ_CONFIG } from '../tokens';

const COOKIE = 'self_service_csrf';

/**
 * CSRF for the self-service forms, which have no interaction to bind to: the token is the
 * login pages' HMAC (CsrfTokens) of a random value kept in an HttpOnly cookie of this browser,
 * so a form posted from another site (which can neither read the page nor the cookie) fails.
 */
@Injectable()
export class SelfServiceCsrf {
  private readonly secure: boolean;

  constructor(
    private readonly tokens: CsrfTokens,
    @Inject(AUTHZ_CONFIG) config: AuthorizationServerConfig,
  ) {
    this.secure = config.ISSUER.startsWith('https:');
  }

  /** This browser's binding value, and the cookie that sets it when it had none. */
  binding(req: IncomingMessage): { value: string; setCookie?: string } {
    const value = cookieOf(req);
    if (value) return { value };
    const fresh = randomBytes(24).toString('base64url');
    const attributes = `Path=/account; HttpOnly; SameSite=Lax${this.secure ? '; Secure' : ''}`;
    return { value: fresh, setCookie: `${COOKIE}=${fresh}; ${attributes}` };
  }

  issue(binding: string): string {
    return this.tokens.issue(`self-service:${binding}`);
  }

  verify(req: IncomingMessage, presented: unknown): boolean {
    const value = cookieOf(req);
    return value !== null && this.tokens.verify(`self-service:${value}`, presented);
  }
}

function cookieOf(req: IncomingMessage): string | null {
  const found = (req.headers.cookie ?? '')
    .split(';')
    .map((part) => part.trim().split('='))
    .find(([name]) => name === COOKIE)?.[1];
  return found && /^[A-Za-z0-9_-]{32}$/.test(found) ? found : null;
}
