import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { ServiceMetrics } from '@platform/runtime';
import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import type { IdentityBackendConfig } from '../config';
import { canonicalEmail } from './email';
import { IdentityError, IdentityErrorCode } from './identity-error';

/** Every abuse limit of the backend, by the name its counters and its metric label carry. */
export type RateLimitName =
  | 'mail_address'
  | 'mail_ip'
  | 'registration_ip'
  | 'login_failures_ip'
  | 'login_failures_device'
  | 'login_failures_while_locked';

export interface RateLimit {
  name: RateLimitName;
  /** Hits allowed per window. */
  max: number;
  windowSeconds: number;
}

/** One key counted against one limit. */
export interface LimitedKey {
  limit: RateLimit;
  key: string;
}

interface WindowCounts {
  current: number;
  previous: number;
  /** Seconds since the current window started (by the database clock, the same for every replica). */
  elapsed: number;
}

/**
 * Abuse limits counted in Postgres, so every replica enforces the same totals. Each (limit,
 * key) has a row per fixed window, bumped by one UPSERT; the limit applies to a sliding
 * estimate over the current and previous windows (Cloudflare's approximation, see
 * secondsUntilUnder), so a burst straddling a window boundary is still caught. Rows expire after two windows and the
 * housekeeping job deletes them.
 */
@Injectable()
export class RateLimiter {
  private readonly refusals: Counter<'limit'>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    metrics: ServiceMetrics,
  ) {
    this.refusals = new Counter({
      name: 'rate_limit_refusals_total',
      help: 'Requests refused by an abuse limit (429), by limit',
      labelNames: ['limit'],
      registers: [metrics.registry],
    });
  }

  /**
   * Counts one request against each (limit, key), in one statement; over any of them, refuses with
   * 429 too_many_requests and a Retry-After.
   */
  async consume(...hits: LimitedKey[]): Promise<void> {
    const retryAfter = await this.hit(...hits);
    if (retryAfter > 0) {
      throw new IdentityError(IdentityErrorCode.TooManyRequests, 'Too many requests; try again later', {
        retryAfter,
      });
    }
  }

  /**
   * Counts one hit against each (limit, key) with a single UPSERT; returns 0 when every one was
   * within its limit, else the longest wait until all are under them again.
   */
  async hit(...hits: LimitedKey[]): Promise<number> {
    const rows = (await this.dataSource.query(
      `WITH input AS (SELECT * FROM unnest($1::text[], $2::text[], $3::int[]) AS i(name, key, win)),
            hit AS (
              INSERT INTO rate_limit_counters (name, key, window_start, hits, expires_at)
              SELECT name, key, start, 1, start + make_interval(secs => 2 * win)
                FROM (SELECT name, key, win, to_timestamp(floor(extract(epoch FROM now()) / win) * win) AS start
                        FROM input) bounds
              ON CONFLICT (name, key, window_start) DO UPDATE SET hits = rate_limit_counters.hits + 1
              RETURNING name, key, window_start, hits)
       SELECT hit.name, hit.key, hit.hits AS current, COALESCE(p.hits, 0) AS previous,
              extract(epoch FROM now() - hit.window_start)::float8 AS elapsed
         FROM hit
         JOIN input i ON i.name = hit.name AND i.key = hit.key
         LEFT JOIN rate_limit_counters p
           ON p.name = hit.name AND p.key = hit.key AND p.window_start = hit.window_start - make_interval(secs => i.win)`,
      [hits.map((h) => h.limit.name), hits.map((h) => h.key), hits.map((h) => h.limit.windowSeconds)],
    )) as (WindowCounts & { name: string; key: string })[];
    let wait = 0;
    for (const { limit, key } of hits) {
      const counts = rows.find((row) => row.name === limit.name && row.key === key)!;
      // The estimate before this hit decides, so exactly `max` hits pass in a quiet window.
      wait = Math.max(wait, this.refuseAbove(limit, { ...counts, current: counts.current - 1 }));
    }
    return wait;
  }

  /** Seconds until `key` is under `limit` again, without counting anything; 0 when it is under now. */
  async retryAfter(limit: RateLimit, key: string): Promise<number> {
    const [counts] = (await this.dataSource.query(
      `WITH bounds AS (SELECT to_timestamp(floor(extract(epoch FROM now()) / $3::int) * $3::int) AS start)
       SELECT COALESCE(sum(c.hits) FILTER (WHERE c.window_start = b.start), 0)::int AS current,
              COALESCE(sum(c.hits) FILTER (WHERE c.window_start < b.start), 0)::int AS previous,
              extract(epoch FROM now() - b.start)::float8 AS elapsed
         FROM bounds b
         LEFT JOIN rate_limit_counters c
           ON c.name = $1 AND c.key = $2
          AND c.window_start IN (b.start, b.start - make_interval(secs => $3::int))
        GROUP BY b.start`,
      [limit.name, key, limit.windowSeconds],
    )) as WindowCounts[];
    return this.refuseAbove(limit, counts!);
  }

  private refuseAbove(limit: RateLimit, counts: WindowCounts): number {
    const wait = secondsUntilUnder(limit, counts);
    if (wait > 0) this.refusals.inc({ limit: limit.name });
    return wait;
  }
}

/**
 * How long until the sliding estimate `current + ⌈previous × (1 − elapsed / window)⌉` drops
 * below the limit (0: it is below now). Rounding the carried share up keeps the estimate on the
 * safe side: a burst straddling a window boundary cannot slip one request past the limit.
 */
export function secondsUntilUnder(limit: RateLimit, { current, previous, elapsed }: WindowCounts): number {
  const window = limit.windowSeconds;
  if (current + Math.ceil(previous * (1 - elapsed / window)) < limit.max) return 0;
  // Still in this window, the previous window's share decays linearly...
  if (current < limit.max && previous > 0) {
    const t = window * (1 - (limit.max - current - 1) / previous) - elapsed;
    if (t < window - elapsed) return Math.max(1, Math.ceil(t));
  }
  // ...otherwise wait for the next window, where this one's hits decay in turn.
  const into = window * (1 - (limit.max - 1) / current);
  return Math.max(1, Math.ceil(window - elapsed + Math.max(0, into)));
}

/** The configured limits (see config.ts for the settings and their defaults). */
export function abuseLimits(config: IdentityBackendConfig) {
  const mailWindow = config.MAIL_LIMIT_WINDOW_SECONDS;
  return {
    mailPerAddress: { name: 'mail_address', max: config.MAIL_LIMIT_PER_ADDRESS, windowSeconds: mailWindow },
    mailPerIp: { name: 'mail_ip', max: config.MAIL_LIMIT_PER_IP, windowSeconds: mailWindow },
    registrationPerIp: {
      name: 'registration_ip',
      max: config.REGISTRATION_LIMIT_PER_IP,
      windowSeconds: config.REGISTRATION_LIMIT_WINDOW_SECONDS,
    },
    loginFailuresPerIp: {
      name: 'login_failures_ip',
      max: config.LOGIN_IP_MAX_FAILURES,
      windowSeconds: config.LOGIN_IP_WINDOW_SECONDS,
    },
    loginFailuresPerDevice: {
      name: 'login_failures_device',
      max: config.LOGIN_DEVICE_MAX_FAILURES,
      windowSeconds: config.LOGIN_DEVICE_WINDOW_SECONDS,
    },
  } satisfies Record<string, RateLimit>;
}

/** The per-address mail key: the address as normalized (or as typed, when it is none), hashed, whoever owns it. */
export const addressKey = (address: string): string =>
  createHash('sha256')
    .update(canonicalEmail(address) ?? address.normalize('NFKC').trim().toLowerCase())
    .digest('hex');
