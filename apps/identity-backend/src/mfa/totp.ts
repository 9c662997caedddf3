import * as speakeasy from 'speakeasy';

const STEP_SECONDS = 30;
/** Codes from the previous and next 30 s step are accepted too (clock drift). */
const WINDOW = 1;

/** A new TOTP seed from the CSPRNG (160 bits, as RFC 4226 recommends), base32. */
export function newTotpSecret(): string {
  return speakeasy.generateSecret({ length: 20 }).base32;
}

/** Key URI Format (Google Authenticator): label and issuer percent-encoded. */
export function otpauthUri(secret: string, issuer: string, account: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = new URLSearchParams({ secret, issuer, algorithm: 'SHA1', digits: '6', period: String(STEP_SECONDS) });
  return `otpauth://totp/${label}?${query.toString().replace(/\+/g, '%20')}`;
}

/** The time step a code belongs to, or null if it matches none in the window. */
export function matchingStep(secret: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const result = speakeasy.totp.verifyDelta({
    secret,
    encoding: 'base32',
    token: code,
    window: WINDOW,
    time: Math.floor(now / 1000),
  });
  return result ? Math.floor(now / 1000 / STEP_SECONDS) + result.delta : null;
}

/** For tests and tooling: the code of a secret at a given time. */
export function totpCode(secret: string, now = Date.now()): string {
  return speakeasy.totp({ secret, encoding: 'base32', time: Math.floor(now / 1000) });
}
