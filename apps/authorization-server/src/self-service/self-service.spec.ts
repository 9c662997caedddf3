import type { IncomingMessage } from 'node:http';
import type { AuthorizationServerConfig } from '../config';
import { CsrfTokens } from '../interactions/csrf';
import { SelfServiceCsrf } from './self-service-csrf';
import { selfServiceHref } from './self-service-links';

const request = (cookie?: string) => ({ headers: cookie ? { cookie } : {} }) as IncomingMessage;

describe('self-service links', () => {
  it('name the tenant and the sign-in to return to', () => {
    expect(selfServiceHref('forgotPassword', { tenant: 'acme', interactionUid: 'abc_123' })).toBe(
      '/account/forgot-password?tenant=acme&return=%2Finteraction%2Fabc_123',
    );
    expect(selfServiceHref('signUp', { tenant: 'acme' })).toBe('/account/sign-up?tenant=acme');
  });
});

describe('self-service CSRF', () => {
  const csrf = new SelfServiceCsrf(new CsrfTokens([Buffer.alloc(32, 7)]), {
    ISSUER: 'https://id.example.test',
  } as AuthorizationServerConfig);

  it('binds a form token to a cookie of the browser, set when it has none', () => {
    const first = csrf.binding(request());
    expect(first.setCookie).toMatch(/^self_service_csrf=[\w-]{32}; Path=\/account; HttpOnly; SameSite=Lax; Secure$/);
    const cookie = first.setCookie!.split(';')[0]!;
    expect(csrf.binding(request(cookie))).toEqual({ value: first.value });
    const token = csrf.issue(first.value);
    expect(csrf.verify(request(cookie), token)).toBe(true);
  });

  it('refuses a token without its cookie, with another cookie, or forged', () => {
    const { value, setCookie } = csrf.binding(request());
    const token = csrf.issue(value);
    const other = csrf.binding(request()).setCookie!.split(';')[0]!;
    expect(csrf.verify(request(), token)).toBe(false);
    expect(csrf.verify(request(other), token)).toBe(false);
    expect(csrf.verify(request(setCookie!.split(';')[0]), 'forged')).toBe(false);
  });
});
