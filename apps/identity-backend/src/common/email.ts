import { domainToASCII } from 'node:url';
import { invisibleCharacterIn } from './visible-text';

const LOCAL_PART = /^[^\s@"<>()[\]\\,;:]{1,64}$/u;

/**
 * The form an address is compared in, so look-alikes cannot register twice:
 * NFKC folds compatibility forms (fullwidth letters, the Kelvin sign K) and
 * composes NFD input; lower-casing folds case; the dotless ı and a combining dot
 * above are folded onto plain i; the domain goes through IDNA (UTS #46) to ASCII.
 * Returns null for something that is not an email address, including one holding invisible
 * or control characters (a zero-width space would otherwise make a second "ada@…").
 */
export function canonicalEmail(input: string): string | null {
  const folded = input
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/ı/g, 'i')
    .replace(/\u0307/g, '');
  const at = folded.lastIndexOf('@');
  if (at <= 0 || folded.length > 254 || invisibleCharacterIn(folded)) return null;
  const local = folded.slice(0, at);
  const domain = domainToASCII(folded.slice(at + 1));
  if (!LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return null;
  if (
    !domain ||
    !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain) ||
    domain.split('.').some((l) => l.startsWith('-') || l.endsWith('-') || l.length > 63)
  ) {
    return null;
  }
  return `${local}@${domain}`;
}

export const emailDomain = (canonical: string): string => canonical.slice(canonical.lastIndexOf('@') + 1);
