import { invisibleCharacterIn, stripInvisible } from './visible-text';

describe('invisible and control characters', () => {
  it.each([
    ['zero-width space', 'ad\u200Ba', 'U+200B'],
    ['right-to-left override', 'Ada \u202Egnp.exe', 'U+202E'],
    ['left-to-right isolate', 'Love\u2066lace', 'U+2066'],
    ['right-to-left mark', 'Ada\u200F', 'U+200F'],
    ['soft hyphen', 'Ada\u00AD', 'U+00AD'],
    ['byte order mark', '\uFEFFAda', 'U+FEFF'],
    ['newline', 'Ada\nLovelace', 'U+000A'],
    ['Hangul filler', '\u3164', 'U+3164'],
    ['tag character', 'Ada\u{E0041}', 'U+E0041'],
  ])('finds a %s', (_what, value, codePoint) => {
    expect(invisibleCharacterIn(value, { allowJoiners: true })).toBe(codePoint);
  });

  it('accepts visible text in any script', () => {
    expect(invisibleCharacterIn('Ада Лавлейс', { allowJoiners: true })).toBeNull();
    expect(invisibleCharacterIn('石川 さくら')).toBeNull();
  });

  it('accepts joiners inside words in names only', () => {
    expect(invisibleCharacterIn('👩\u200D💻', { allowJoiners: true })).toBeNull();
    expect(invisibleCharacterIn('می\u200Cخواهم', { allowJoiners: true })).toBeNull();
    expect(invisibleCharacterIn('👩\u200D💻')).toBe('U+200D');
    expect(invisibleCharacterIn('Ada\u200D', { allowJoiners: true })).toBe('U+200D');
    expect(invisibleCharacterIn('Ada \u200Cx', { allowJoiners: true })).toBe('U+200C');
  });

  it('strips what it would refuse, keeping joiners inside words', () => {
    expect(stripInvisible('A\u202Eda\u200B Love\u00ADlace 👩\u200D💻\u200D')).toBe('Ada Lovelace 👩\u200D💻');
  });
});
