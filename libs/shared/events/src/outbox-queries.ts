import type { DataSource, EntityManager } from 'typeorm';
import type { CloudEvent } from './cloud-event';

/**
 * The advisory lock all relays of one database share (advisory locks are per database).
 * Distinct from the migration runner's 7_340_221.
 */
export const OUTBOX_RELAY_LOCK_ID = 7_340_222;
const MAX_ERROR_LENGTH = 2_000;

export interface UnsentMessage {
  seq: string;
  topic: string;
  messageKey: string;
  payload: CloudEvent;
  headers: Record<string, string>;
  /** Milliseconds until `available_at`; zero or less when due. */
  dueInMs: number;
}

/**
 * Takes the relay lock for the current transaction; false when another relay holds it.
 * Also bounds how long this transaction may sit idle (waiting on Kafka): a hung leader
 * loses its session, and with it the lock, instead of stalling every replica.
 */
export async function tryTakeRelayLock(manager: EntityManager, idleTimeoutMs: number): Promise<boolean> {
  const [{ locked }] = await manager.query(
    `SELECT pg_try_advisory_xact_lock($1) AS locked,
            set_config('idle_in_transaction_session_timeout', $2, true)`,
    [OUTBOX_RELAY_LOCK_ID, String(idleTimeoutMs)],
  );
  return locked;
}

/**
 * The oldest unsent rows, locked until the transaction ends. Plain FOR UPDATE rather than
 * SKIP LOCKED: under the relay lock no other relay can hold these rows, so the only rows
 * SKIP LOCKED could skip are ones something else briefly locked (an operator's UPDATE),
 * and skipping the head of a key would publish its successors first.
 */
export function lockUnsentMessages(manager: EntityManager, limit: number): Promise<UnsentMessage[]> {
  return manager.query(
    `SELECT seq, topic, message_key AS "messageKey", payload, headers,
            (EXTRACT(EPOCH FROM available_at - clock_timestamp()) * 1000)::float8 AS "dueInMs"
       FROM outbox_messages
      WHERE sent_at IS NULL
      ORDER BY seq
      LIMIT $1
        FOR UPDATE`,
    [limit],
  );
}

export async function markSent(manager: EntityManager, seqs: string[]): Promise<void> {
  await manager.query(
    'UPDATE outbox_messages SET sent_at = now(), attempts = attempts + 1 WHERE seq = ANY($1::bigint[])',
    [seqs],
  );
}

/** Keeps the rows unsent, records why, and holds them back for `retryInMs` (for any relay). */
export async function recordFailedAttempt(
  manager: EntityManager,
  seqs: string[],
  error: string,
  retryInMs: number,
): Promise<void> {
  await manager.query(
    `UPDATE outbox_messages
        SET attempts = attempts + 1, last_error = $2,
            available_at = clock_timestamp() + $3 * interval '1 millisecond'
      WHERE seq = ANY($1::bigint[])`,
    [seqs, error.slice(0, MAX_ERROR_LENGTH), retryInMs],
  );
}

export interface OutboxBacklog {
  unsent: number;
  /** Age of the oldest unsent event; 0 when none. */
  oldestAgeSeconds: number;
}

/** Backlog figures for metrics and health. */
export async function outboxBacklog(dataSource: DataSource): Promise<OutboxBacklog> {
  const [row] = await dataSource.query(
    `SELECT count(*)::int AS unsent,
            COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS "oldestAgeSeconds"
       FROM outbox_messages WHERE sent_at IS NULL`,
  );
  return { unsent: row.unsent, oldestAgeSeconds: Math.max(0, row.oldestAgeSeconds) };
}

/**
 * Housekeeping: deletes rows published more than `olderThanMs` ago, in chunks so a large
 * backlog of history never becomes one long, lock-heavy statement. Unsent rows are never
 * touched. Returns how many rows went.
 */
export async function pruneSentMessages(
  dataSource: DataSource,
  olderThanMs: number,
  chunkSize = 5_000,
): Promise<number> {
  let total = 0;
  for (;;) {
    const [, deleted]: [unknown, number] = await dataSource.query(
      `DELETE FROM outbox_messages WHERE seq IN (
         SELECT seq FROM outbox_messages
          WHERE sent_at < now() - $1 * interval '1 millisecond'
          LIMIT $2)`,
      [olderThanMs, chunkSize],
    );
    total += deleted;
    if (deleted < chunkSize) return total;
  }
}
