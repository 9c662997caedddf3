import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomToken, sha256Hex } from '@platform/crypto';
import { Clock } from '@platform/runtime';
import { DataSource, type EntityManager } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../common/identity-error';
import { EmailToken, type EmailTokenPurpose } from './email-token.entity';

/** Issues and redeems the single-use links of verification and reset emails. */
@Injectable()
export class EmailTokens {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** A new token (256 bits); earlier unused ones for the same purpose stop working. */
  async issue(
    userId: string,
    purpose: EmailTokenPurpose,
    ttlMinutes: number,
    payload: Record<string, string> | null = null,
  ): Promise<string> {
    const token = randomToken(32);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        'UPDATE email_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL',
        [userId, purpose],
      );
      await manager.insert(EmailToken, {
        userId,
        purpose,
        tokenHash: sha256Hex(token),
        payload,
        expiresAt: new Date(this.clock.nowMs() + ttlMinutes * 60_000),
      });
    });
    return token;
  }

  /** The user a still-valid token belongs to, without using it up. */
  async peek(token: string, purpose: EmailTokenPurpose): Promise<string> {
    const row = await this.dataSource.manager.findOneBy(EmailToken, { tokenHash: sha256Hex(token), purpose });
    if (!row || row.usedAt || row.expiresAt <= this.clock.now()) throw invalidToken();
    return row.userId;
  }

  /** Uses the token up inside the caller's transaction; exactly one redemption can win. */
  async redeem(manager: EntityManager, token: string, purpose: EmailTokenPurpose): Promise<string> {
    return (await this.redeemWithPayload(manager, token, purpose)).userId;
  }

  /** redeem(), with what the link was issued to apply. */
  async redeemWithPayload(
    manager: EntityManager,
    token: string,
    purpose: EmailTokenPurpose,
  ): Promise<{ userId: string; payload: Record<string, string> }> {
    const [rows] = await manager.query(
      `UPDATE email_tokens SET used_at = now()
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
        RETURNING user_id, payload`,
      [sha256Hex(token), purpose],
    );
    if (rows.length !== 1) throw invalidToken();
    return { userId: rows[0].user_id, payload: rows[0].payload ?? {} };
  }
}

const invalidToken = () =>
  new IdentityError(IdentityErrorCode.InvalidEmailToken, 'This link is invalid, was already used or has expired');
