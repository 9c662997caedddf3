import * as bcrypt from 'bcrypt';
import { OWASP_ARGON2ID, PasswordHasher, type PasswordHashPolicy } from './password-hasher';

const SMALL_ARGON2 = { memoryKiB: 1024, iterations: 1, parallelism: 1 };
const policy = (overrides: Partial<PasswordHashPolicy>): PasswordHashPolicy => ({
  algorithm: 'bcrypt',
  bcryptCost: 4,
  argon2: SMALL_ARGON2,
  ...overrides,
});

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher(policy({ algorithm: 'bcrypt' }));
  const argon2 = new PasswordHasher(policy({ algorithm: 'argon2id' }));

  describe.each([
    ['bcrypt', hasher],
    ['argon2id', argon2],
  ])('%s', (_name, subject) => {
    it('verifies the right password and rejects a wrong one', async () => {
      const stored = await subject.hash('correct horse battery staple');
      await expect(subject.verify('correct horse battery staple', stored)).resolves.toBe(true);
      await expect(subject.verify('correct horse battery stapler', stored)).resolves.toBe(false);
    });

    it('does not truncate: 100-character passwords differing only at the end are different', async () => {
      const base = 'a'.repeat(99);
      const stored = await subject.hash(`${base}1`);
      await expect(subject.verify(`${base}1`, stored)).resolves.toBe(true);
      await expect(subject.verify(`${base}2`, stored)).resolves.toBe(false);
    });

    it('treats multi-byte passwords by their full UTF-8 length', async () => {
      const stored = await subject.hash('🔑'.repeat(30)); // 120 bytes
      await expect(subject.verify(`${'🔑'.repeat(29)}🔒`, stored)).resolves.toBe(false);
    });

    it('normalizes Unicode so the same password typed in NFC or NFD verifies', async () => {
      const stored = await subject.hash('caf\u00e9 au lait!!');
      await expect(subject.verify('cafe\u0301 au lait!!', stored)).resolves.toBe(true);
    });

    it('answers false, never throws, for a malformed stored hash', async () => {
      await expect(subject.verify('x', 'not-a-hash')).resolves.toBe(false);
      await expect(subject.verify('x', '$argon2id$v=19$m=1024,t=1,p=1$broken')).resolves.toBe(false);
    });
  });

  it('bcrypt: plain bcrypt would truncate at 72 bytes; the pre-hash is what prevents it', async () => {
    const base = 'a'.repeat(99);
    const plain = await bcrypt.hash(`${base}1`, 4);
    await expect(bcrypt.compare(`${base}2`, plain)).resolves.toBe(true);
  });

  it('bcrypt: uses the configured cost and asks for a re-hash when the cost changed or the hash is foreign', async () => {
    const stored = await new PasswordHasher(policy({ bcryptCost: 5 })).hash('another long passphrase');
    expect(bcrypt.getRounds(stored.split('$').slice(1).join('$'))).toBe(5);
    expect(new PasswordHasher(policy({ bcryptCost: 5 })).needsRehash(stored)).toBe(false);
    expect(hasher.needsRehash(stored)).toBe(true);
    expect(hasher.needsRehash('$2b$04$abcdefghijklmnopqrstuu')).toBe(true);
  });

  it('argon2id: stores a PHC string with the configured parameters, re-hashed when they change', async () => {
    const stored = await argon2.hash('some long passphrase');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(argon2.needsRehash(stored)).toBe(false);
    expect(new PasswordHasher(policy({ algorithm: 'argon2id', argon2: OWASP_ARGON2ID })).needsRehash(stored)).toBe(
      true,
    );
  });

  it('verifies both schemes whatever the policy, and asks to move a hash to the policy scheme', async () => {
    const bcryptHash = await hasher.hash('mixed population passphrase');
    const argon2Hash = await argon2.hash('mixed population passphrase');
    for (const subject of [hasher, argon2]) {
      await expect(subject.verify('mixed population passphrase', bcryptHash)).resolves.toBe(true);
      await expect(subject.verify('mixed population passphrase', argon2Hash)).resolves.toBe(true);
    }
    expect(argon2.needsRehash(bcryptHash)).toBe(true);
    expect(hasher.needsRehash(argon2Hash)).toBe(true);
  });

  it('hashes off the event loop: a timer keeps firing during an OWASP-cost hash', async () => {
    const owasp = new PasswordHasher(policy({ algorithm: 'argon2id', argon2: OWASP_ARGON2ID }));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      await Promise.all([owasp.hash('a'), owasp.hash('b')]);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });
});
