import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { IDENTITY_CONFIG } from '../common/tokens';
import type { IdentityBackendConfig } from '../config';

/**
 * Per-IP throttling of failed sign-ins, counted in Postgres (per-minute buckets) so
 * every replica sees the same totals. Complements the per-account lock: it stops one
 * source spraying passwords across many accounts.
 */
@Injectable()
export class IpThrottle {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityBackendConfig,
  ) {}

  /** Seconds to wait before this IP may try again, or 0. */
  async retryAfterSeconds(ip: string): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT COALESCE(sum(failures), 0)::int AS failures, min(minute) AS oldest
         FROM ip_login_failures WHERE ip = $1 AND minute > now() - make_interval(secs => $2)`,
      [ip, this.config.LOGIN_IP_WINDOW_SECONDS],
    );
    if (row.failures < this.config.LOGIN_IP_MAX_FAILURES) return 0;
    const windowEnds = new Date(row.oldest).getTime() + this.config.LOGIN_IP_WINDOW_SECONDS * 1000;
    return Math.max(1, Math.ceil((windowEnds - Date.now()) / 1000));
  }

  async recordFailure(ip: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ip_login_failures (ip, minute, failures) VALUES ($1, date_trunc('minute', now()), 1)
       ON CONFLICT (ip, minute) DO UPDATE SET failures = ip_login_failures.failures + 1`,
      [ip],
    );
  }
}
