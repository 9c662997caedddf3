import { Browser, type BrowserResponse, formValue } from '@platform/testing';

export interface SignInOptions {
  login: string;
  password: string;
  /** Called when the second-factor page shows; returns the code to enter. */
  totp?: () => string;
  /** What `totp` returns: an authenticator code (default) or a recovery code. */
  mfaMethod?: 'totp' | 'recovery_code';
  /** Replaces a temporary password when the password-change page shows. */
  newPassword?: string;
  /** Approve the consent page if one shows (default true). */
  consent?: boolean;
}

/** The interaction path of a hosted page (login, MFA or consent), from the page's CSRF-protected form. */
export const pageAction = (page: BrowserResponse) => page.body.match(/<form method="post" action="([^"]+)"/)?.[1];

/**
 * A person signing in on the hosted pages: follows /authorize to the login page, submits the
 * password (and a TOTP code, and consent, when asked), and stops at the client's redirect URI.
 */
export async function signIn(
  browser: Browser,
  authorizationUrl: string,
  redirectUri: string,
  options: SignInOptions,
): Promise<BrowserResponse & { steps: string[] }> {
  const steps: string[] = [];
  const atClient = (url: string) => url.startsWith(redirectUri);
  let page = await browser.follow(authorizationUrl, atClient);
  for (let step = 0; step < 5 && !(page.location && atClient(page.location)); step++) {
    if (page.status !== 200 && page.status !== 401) {
      throw new Error(`unexpected page ${page.status} at ${page.url}: ${page.body.slice(0, 400)}`);
    }
    const action = pageAction(page);
    if (!action) throw new Error(`no form at ${page.url}: ${page.body.slice(0, 400)}`);
    const url = new URL(action, page.url).toString();
    const csrf = formValue(page.body, 'csrf')!;
    steps.push(action.split('/').pop()!);
    let submitted: BrowserResponse;
    if (action.endsWith('/login')) {
      submitted = await browser.post(url, { csrf, login: options.login, password: options.password });
    } else if (action.endsWith('/mfa')) {
      if (!options.totp) throw new Error('a second factor was asked for');
      submitted = await browser.post(url, { csrf, method: options.mfaMethod ?? 'totp', code: options.totp() });
    } else if (action.endsWith('/password')) {
      if (!options.newPassword) throw new Error('a password change was asked for');
      submitted = await browser.post(url, {
        csrf,
        currentPassword: options.password,
        newPassword: options.newPassword,
        confirmPassword: options.newPassword,
      });
    } else if (action.endsWith('/consent')) {
      if (options.consent === false) throw new Error('consent was asked for');
      submitted = await browser.post(url, { csrf });
    } else {
      throw new Error(`unknown step ${action}`);
    }
    page = submitted.location ? await browser.continue(submitted, atClient) : submitted;
  }
  if (!page.location || !atClient(page.location))
    throw new Error(`did not return to the client: ${page.status} ${page.url}`);
  return { ...page, steps };
}
