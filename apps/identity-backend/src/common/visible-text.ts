/**
 * Characters that render as nothing (or reorder what surrounds them) and so let two names or
 * addresses look identical while differing: Unicode general categories Cc (controls), Cf
 * (format: zero-width space/joiners, bidi marks, embeddings, overrides and isolates U+200E/F,
 * U+202A–202E, U+2066–2069, soft hyphen, BOM, tag characters…), Zl/Zp (line and paragraph
 * separators), and the Hangul fillers and braille blank, letters that show as blanks.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0\u2800]/gu;
const JOINERS = new Set(['\u200C', '\u200D']);
const WORD_CHARACTER = /[^\s\u200C\u200D]/u;

/**
 * In display names the zero-width joiner and non-joiner belong to real writing (Persian, Indic
 * scripts, emoji sequences such as 👩‍💻): allowed between two visible characters, never at an
 * edge, doubled or next to a space.
 */
const joinerInWord = (text: string, at: number) =>
  WORD_CHARACTER.test(text[at - 1] ?? ' ') && WORD_CHARACTER.test(text[at + 1] ?? ' ');

export interface VisibleTextRules {
  /** Display names: zero-width (non-)joiners inside a word are writing, not tricks. */
  allowJoiners?: boolean;
}

/** The first invisible or control character of `value`, as `U+XXXX`, or null when there is none. */
export function invisibleCharacterIn(value: string, { allowJoiners = false }: VisibleTextRules = {}): string | null {
  for (const match of value.matchAll(INVISIBLE)) {
    if (allowJoiners && JOINERS.has(match[0]) && joinerInWord(value, match.index)) continue;
    return `U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return null;
}

/** `value` without its invisible and control characters (joiners inside words stay). */
export const stripInvisible = (value: string): string =>
  value.replace(INVISIBLE, (character, at: number) =>
    JOINERS.has(character) && joinerInWord(value, at) ? character : '',
  );
