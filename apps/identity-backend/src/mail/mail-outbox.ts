import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { MailKind } from './mail-catalogue';

/** A mail to send: what kind, to whom, about which user. Links and their tokens are made when it is sent. */
export interface QueuedMail {
  kind: MailKind;
  tenantId: string;
  userId: string;
  /** Absent: the user's address at sending time. Set for mail to another address (an email change). */
  recipient?: string;
  /** Placeholders of the message, e.g. the new address of an email change. Never secrets. */
  params?: Record<string, string>;
}

export interface OutboxMail extends Required<Omit<QueuedMail, 'recipient'>> {
  id: string;
  recipient: string | null;
  attempts: number;
}

/**
 * The mail outbox (mail_outbox): mail is queued in the transaction of the change it tells
 * about and stays until the relay delivered it, so neither a crash nor an SMTP outage loses it.
 */
@Injectable()
export class MailOutbox {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async enqueue(manager: EntityManager, mails: QueuedMail[]): Promise<void> {
    for (const mail of mails) {
      await manager.query(
        `INSERT INTO mail_outbox (tenant_id, user_id, kind, recipient, params) VALUES ($1, $2, $3, $4, $5)`,
        [mail.tenantId, mail.userId, mail.kind, mail.recipient ?? null, JSON.stringify(mail.params ?? {})],
      );
    }
  }

  /** Queues mail on its own (no other change goes with it). */
  enqueueNow(mails: QueuedMail[]): Promise<void> {
    return this.dataSource.transaction((manager) => this.enqueue(manager, mails));
  }

  /**
   * Hands each due mail to `deliver` while holding its row (other replicas skip it); a delivered
   * mail is deleted, a failed one is tried again later with a growing delay (capped at 10 minutes).
   */
  async deliverDue(limit: number, deliver: (mail: OutboxMail) => Promise<void>): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: {
        id: string;
        tenant_id: string;
        user_id: string;
        kind: MailKind;
        recipient: string | null;
        params: Record<string, string>;
        attempts: number;
      }[] = await manager.query(
        `SELECT id, tenant_id, user_id, kind, recipient, params, attempts FROM mail_outbox
          WHERE next_attempt_at <= now() ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      for (const row of rows) {
        const mail: OutboxMail = {
          id: row.id,
          tenantId: row.tenant_id,
          userId: row.user_id,
          kind: row.kind,
          recipient: row.recipient,
          params: row.params,
          attempts: row.attempts,
        };
        try {
          await deliver(mail);
          await manager.query('DELETE FROM mail_outbox WHERE id = $1', [row.id]);
        } catch (error) {
          await manager.query(
            `UPDATE mail_outbox SET attempts = attempts + 1, last_error = $2,
                    next_attempt_at = now() + make_interval(secs => LEAST(power(2, attempts + 1), 600))
              WHERE id = $1`,
            [row.id, String((error as Error).message ?? error).slice(0, 500)],
          );
        }
      }
      return rows.length;
    });
  }
}
