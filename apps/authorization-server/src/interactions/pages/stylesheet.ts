import { createHash } from 'node:crypto';

/**
 * The one stylesheet of every hosted page, served as a same-origin file whose name carries its
 * hash (so it is cached for a year and a change is a new URL). Tenant colours arrive as custom
 * properties in a small nonce'd <style> of the layout; dark mode follows the system.
 */
export const HOSTED_STYLESHEET = `
:root {
  color-scheme: light dark;
  --accent: #1f4fd1;
  --accent-text: #ffffff;
  --link: #1f4fd1;
  --bg: #f4f5f7;
  --surface: #ffffff;
  --text: #1b1d21;
  --muted: #4d525b;
  --border: #767b85;
  --alert-bg: #fdecea;
  --alert-text: #8a1c12;
  --info-bg: #e8effd;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #111317;
    --surface: #1c1f25;
    --text: #eceef2;
    --muted: #b5bac4;
    --border: #8d939e;
    --alert-bg: #3d1714;
    --alert-text: #ffc9c2;
    --info-bg: #1d2a44;
    --link: #9db8ff;
  }
}
* { box-sizing: border-box; }
/* What a page shows only with JavaScript (the passkey button) stays hidden whatever its own display. */
[hidden] { display: none !important; }
body {
  margin: 0;
  font: 16px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  background: var(--bg);
  color: var(--text);
}
main {
  max-width: 26rem;
  margin: 3rem auto 1rem;
  padding: 2rem;
  background: var(--surface);
  border-radius: 0.75rem;
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.18);
}
.brand { display: flex; align-items: center; gap: 0.75rem; margin-bottom: 1rem; }
.brand img { max-height: 2.5rem; max-width: 8rem; }
h1 { font-size: 1.4rem; margin: 0.25rem 0 1rem; }
h2 { font-size: 1.05rem; margin: 1rem 0 0; }
a { color: var(--link); }
label { display: block; font-weight: 600; margin: 0.75rem 0 0.25rem; }
input[type='text'], input[type='email'], input[type='password'] {
  width: 100%;
  padding: 0.6rem;
  border: 1px solid var(--border);
  border-radius: 0.4rem;
  font: inherit;
  color: var(--text);
  background: var(--surface);
}
input[aria-invalid='true'] { border-color: var(--alert-text); }
input:focus, button:focus, a:focus { outline: 3px solid var(--link); outline-offset: 2px; }
button, a.button {
  display: block;
  margin-top: 1rem;
  width: 100%;
  padding: 0.65rem;
  border: 1px solid var(--accent);
  border-radius: 0.4rem;
  background: var(--accent);
  color: var(--accent-text);
  font: inherit;
  font-weight: 600;
  text-align: center;
  text-decoration: none;
  cursor: pointer;
}
button.secondary, a.button.secondary { background: transparent; color: var(--link); border-color: var(--link); }
a.button img { height: 1.2em; width: 1.2em; vertical-align: -0.2em; margin-right: 0.5em; }
.alert { padding: 0.6rem 0.8rem; border-radius: 0.4rem; background: var(--alert-bg); color: var(--alert-text); margin-bottom: 1rem; }
.alert a { color: inherit; font-weight: 600; }
.info { padding: 0.6rem 0.8rem; border-radius: 0.4rem; background: var(--info-bg); margin-bottom: 1rem; }
.muted { color: var(--muted); font-size: 0.9rem; }
.row { display: flex; justify-content: space-between; gap: 1rem; flex-wrap: wrap; margin-top: 0.75rem; }
.divider { text-align: center; color: var(--muted); margin: 1rem 0 0; }
.technical { color: var(--muted); font-size: 0.8rem; font-family: ui-monospace, monospace; margin-top: 1.5rem; }
ul.scopes { padding-left: 1.2rem; }
.code {
  font: 700 2rem/1.2 ui-monospace, monospace;
  letter-spacing: 0.15em;
  text-align: center;
  padding: 0.5rem;
  border: 2px dashed var(--accent);
  border-radius: 0.4rem;
}
.field-error { color: var(--alert-text); font-weight: 600; margin: 0.25rem 0; }
.alert ul { margin: 0.25rem 0 0; padding-left: 1.2rem; }
.checkbox { margin: 1rem 0 0; }
.checkbox label { display: inline; margin: 0; }
.policy { color: var(--muted); font-size: 0.9rem; margin: 0.4rem 0 0; }
.policy p { margin: 0; }
.policy ul { margin: 0.1rem 0 0; padding-left: 1.2rem; }
/* The password policy answers as the user types, without a script: the input knows its minlength. */
input:valid + .policy .policy-length { list-style: '✓ '; color: var(--text); font-weight: 600; }
.policy .policy-broken { color: var(--alert-text); font-weight: 600; }
footer { max-width: 26rem; margin: 0 auto 2rem; padding: 0 1rem; text-align: center; }
footer ul { list-style: none; padding: 0; margin: 0; display: inline-flex; gap: 1rem; }
footer a[aria-current='true'] { font-weight: 700; text-decoration: none; }
`;

const hash = createHash('sha256').update(HOSTED_STYLESHEET).digest('hex').slice(0, 16);

/** Where the layout links the stylesheet; the hash in the name makes a year's caching safe. */
export const HOSTED_STYLESHEET_PATH = `/assets/hosted-${hash}.css`;
