import { sha256Hex } from '@platform/crypto';
import { ManualClock } from '@platform/runtime';
import type { DataSource, EntityManager } from 'typeorm';
import { IdentityErrorCode } from '../common/identity-error';
import type { EmailToken } from './email-token.entity';
import { EmailTokens } from './email-tokens';

describe('EmailTokens', () => {
  const NOW = Date.parse('2026-12-01T12:00:00Z');

  const setUp = () => {
    const rows: Partial<EmailToken>[] = [];
    const manager = {
      query: async () => undefined,
      insert: async (_e: unknown, row: Partial<EmailToken>) => void rows.push({ ...row, usedAt: null }),
      findOneBy: async (_e: unknown, where: Partial<EmailToken>) =>
        rows.find((r) => r.tokenHash === where.tokenHash && r.purpose === where.purpose) ?? null,
    } as unknown as EntityManager;
    const dataSource = {
      manager,
      transaction: async <R>(work: (m: EntityManager) => Promise<R>) => work(manager),
    } as unknown as DataSource;
    const clock = new ManualClock(NOW);
    return { tokens: new EmailTokens(dataSource, clock), rows, clock };
  };

  it('stores only the hash of a 256-bit token, expiring by the clock', async () => {
    const { tokens, rows } = setUp();
    const token = await tokens.issue('u-ada', 'reset_password', 30);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(rows).toEqual([
      expect.objectContaining({
        userId: 'u-ada',
        purpose: 'reset_password',
        tokenHash: sha256Hex(token),
        expiresAt: new Date(NOW + 30 * 60_000),
      }),
    ]);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('names the user of a live token without using it up, until it expires; another purpose is no match', async () => {
    const { tokens, clock } = setUp();
    const token = await tokens.issue('u-ada', 'reset_password', 30);
    await expect(tokens.peek(token, 'reset_password')).resolves.toBe('u-ada');
    await expect(tokens.peek(token, 'reset_password')).resolves.toBe('u-ada');
    await expect(tokens.peek(token, 'verify_email')).rejects.toMatchObject({
      code: IdentityErrorCode.InvalidEmailToken,
    });
    clock.advance(30 * 60_000);
    await expect(tokens.peek(token, 'reset_password')).rejects.toMatchObject({
      code: IdentityErrorCode.InvalidEmailToken,
    });
  });
});
