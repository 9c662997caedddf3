import * as bcrypt from 'bcrypt';
import { PasswordHasher } from './password-hasher';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher(4);

  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hasher.hash('correct horse battery staple');
    await expect(hasher.verify('correct horse battery staple', stored)).resolves.toBe(true);
    await expect(hasher.verify('correct horse battery stapler', stored)).resolves.toBe(false);
  });

  it('does not truncate at 72 bytes: 100-character passwords differing only at the end are different', async () => {
    const base = 'a'.repeat(99);
    const stored = await hasher.hash(`${base}1`);
    await expect(hasher.verify(`${base}1`, stored)).resolves.toBe(true);
    await expect(hasher.verify(`${base}2`, stored)).resolves.toBe(false);
    // Plain bcrypt would have accepted it: this is the bug the pre-hash prevents.
    const plain = await bcrypt.hash(`${base}1`, 4);
    await expect(bcrypt.compare(`${base}2`, plain)).resolves.toBe(true);
  });

  it('treats multi-byte passwords by their full UTF-8 length', async () => {
    const emoji = '🔑'.repeat(30); // 120 bytes
    const stored = await hasher.hash(emoji);
    await expect(hasher.verify(`${'🔑'.repeat(29)}🔒`, stored)).resolves.toBe(false);
  });

  it('normalizes Unicode so the same password typed in NFC or NFD verifies', async () => {
    const stored = await hasher.hash('caf\u00e9 au lait!!');
    await expect(hasher.verify('cafe\u0301 au lait!!', stored)).resolves.toBe(true);
  });

  it('asks for a re-hash when the cost changed or the hash is foreign', async () => {
    const stored = await hasher.hash('some long passphrase');
    expect(hasher.needsRehash(stored)).toBe(false);
    expect(new PasswordHasher(5).needsRehash(stored)).toBe(true);
    expect(hasher.needsRehash('$2b$04$abcdefghijklmnopqrstuu')).toBe(true);
    await expect(hasher.verify('x', 'not-a-hash')).resolves.toBe(false);
  });

  it('uses the configured cost', async () => {
    const stored = await new PasswordHasher(5).hash('another long passphrase');
    expect(bcrypt.getRounds(stored.split('$').slice(1).join('$'))).toBe(5);
  });
});
