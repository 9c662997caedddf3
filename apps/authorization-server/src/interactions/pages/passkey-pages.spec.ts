import { FakeIdentityInternalClient } from '@platform/contracts';
import { missingKeys } from '@platform/i18n';
import { pageI18n } from './layout';
import { consentPage, errorPage, loginPage, mfaPage } from './pages';
import { PASSKEY_CATALOGUES, type PasskeyPrompt, passkeyPrompt } from './passkey-pages';
import { PASSKEY_SCRIPT_PATH } from './passkey-script';

const OPTIONS = { challenge: 'c1', rpId: 'login.example', userVerification: 'required', allowCredentials: [] };
const prompt = (options: object = OPTIONS): PasskeyPrompt => ({
  options: JSON.stringify(options),
  action: '/interaction/u/passkey',
  labels: { button: 'Sign in with a passkey', failed: 'Failed', intro: 'Confirm', needsJavaScript: 'Needs JS' },
});
const login = (extra: Partial<Parameters<typeof loginPage>[0]> = {}) =>
  loginPage({ action: '/interaction/u/login', csrf: 'tok', clientName: 'App', externalProviders: [], ...extra });
const mfa = (extra: Partial<Parameters<typeof mfaPage>[0]> = {}) =>
  mfaPage({ action: '/interaction/u/mfa', csrf: 'tok', switchHref: '/interaction/u?recovery=1', ...extra });

/** Every <script> of a page: its attributes and whether it has inline content. */
const scriptsOf = (html: string) =>
  [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attributes: m[1]!, inline: m[2]! }));

describe('passkeys on the hosted pages', () => {
  it('has every passkey string in every language', () => {
    for (const other of [PASSKEY_CATALOGUES.de, PASSKEY_CATALOGUES.fr]) {
      expect(missingKeys(PASSKEY_CATALOGUES.en, other)).toEqual([]);
    }
  });

  it('keeps the CSP strict: script-src is the page nonce alone, the one script a same-origin hashed file', () => {
    const page = login({ passkey: prompt() });
    const csp = page.headers['content-security-policy']!;
    const nonce = csp.match(/script-src 'nonce-([^']+)';/)?.[1];
    expect(nonce).toBeDefined();
    // Nothing else may run: no 'self', no inline code, no eval, no other host.
    expect(csp.match(/script-src ([^;]*)/)?.[1]).toBe(`'nonce-${nonce}'`);
    expect(csp).toMatch(/^default-src 'none'; script-src/);
    expect(scriptsOf(page.body)).toEqual([
      { attributes: ` src="${PASSKEY_SCRIPT_PATH}" nonce="${nonce}" defer`, inline: '' },
    ]);
    expect(page.body).not.toMatch(/\son[a-z]+=/i); // no inline event handlers either
    expect(PASSKEY_SCRIPT_PATH).toMatch(/^\/assets\/passkeys-[0-9a-f]{16}\.js$/);
    // A fresh nonce per response.
    expect(login({ passkey: prompt() }).headers['content-security-policy']).not.toContain(nonce);
  });

  it('loads no script at all on pages without a passkey prompt', () => {
    const pages = [
      login(),
      mfa(),
      errorPage({ status: 400, title: 'T', message: 'M' }),
      consentPage({ action: '/a', abortAction: '/b', csrf: 't', clientName: 'App', access: { account: [], apis: [] } }),
    ];
    for (const page of pages) {
      expect(page.headers['content-security-policy']).not.toContain('script-src');
      expect(scriptsOf(page.body)).toEqual([]);
    }
  });

  it('offers the passkey on the login page after the password form, hidden until the script shows it', () => {
    const page = login({ passkey: prompt() });
    expect(page.body).toContain('autocomplete="username webauthn"');
    const form = page.body.match(/<form id="passkey-form"[\s\S]*?<\/form>/)?.[0] ?? '';
    expect(page.body.indexOf('action="/interaction/u/login"')).toBeLessThan(page.body.indexOf(form));
    expect(form).toContain('method="post" action="/interaction/u/passkey"');
    expect(form).toContain('data-conditional="true"');
    expect(form).toContain('<input type="hidden" name="csrf" value="tok">');
    expect(form).toContain('<input type="hidden" name="credential" value="">');
    expect(form).toMatch(
      /<button type="button" id="passkey-button" class="secondary" hidden>Sign in with a passkey<\/button>/,
    );
    // Without a prompt it is the password page it always was.
    expect(login().body).toContain('autocomplete="username"');
    expect(login().body).not.toContain('passkey');
  });

  it('prints the options escaped, and offers no conditional UI right after an error', () => {
    const page = login({ passkey: prompt({ ...OPTIONS, challenge: '"><script>x</script>' }), error: 'Refused' });
    expect(page.body).not.toContain('"><script>x');
    expect(page.body).toContain(
      'data-options="{&quot;challenge&quot;:&quot;\\&quot;&gt;&lt;script&gt;x&lt;/script&gt;&quot;',
    );
    expect(page.body).toContain('data-conditional="false"');
    // One alert: the page's error (the script's own failure message is an alert only once shown).
    expect(page.body.match(/role="alert"/g)).toHaveLength(1);
    expect(login({ passkey: prompt() }).body).not.toContain('role="alert"');
  });

  it('adds the passkey to the MFA page beside the code, or alone when the user has no authenticator app', () => {
    const both = mfa({ passkey: prompt(), codes: true });
    expect(both.body).toContain('name="code"');
    expect(both.body).toContain('<input type="hidden" name="method" value="passkey">');
    expect(both.body).toContain('data-conditional="false"');
    const alone = mfa({ passkey: prompt(), codes: false });
    expect(alone.body).not.toContain('name="code"');
    expect(alone.body).not.toContain('recovery=1');
    expect(alone.body).toMatch(/<button type="button" id="passkey-button" hidden>/);
    expect(alone.body).toContain('<noscript><p class="alert">Needs JS</p></noscript>');
  });

  it("asks the backend for the options, in the page's language; none when it cannot answer", async () => {
    const identity = new FakeIdentityInternalClient();
    identity.passkeys.push({ credentialId: 'cred-1', userId: 'u-1' });
    const discoverable = await passkeyPrompt(identity, {
      tenant: 'acme',
      action: '/x',
      i18n: pageI18n({ uiLocales: 'de' }),
    });
    expect(discoverable?.labels.button).toBe('Mit einem Passkey anmelden');
    expect(JSON.parse(discoverable!.options)).toMatchObject({ allowCredentials: [] });
    const secondFactor = await passkeyPrompt(identity, { tenant: 'acme', userId: 'u-1', action: '/x' });
    expect(secondFactor?.labels.button).toBe('Use your passkey');
    expect(JSON.parse(secondFactor!.options).allowCredentials).toEqual([{ id: 'cred-1', type: 'public-key' }]);
    identity.unavailable = true;
    await expect(passkeyPrompt(identity, { tenant: 'acme', action: '/x' })).resolves.toBeUndefined();
  });
});
