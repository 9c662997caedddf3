import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Hits per limit, key and fixed window, shared by every replica (see RateLimiter). */
@Entity({ name: 'rate_limit_counters' })
@Index('IDX_rate_limit_counters_expires_at', ['expiresAt'])
export class RateLimitCounter {
  /** Which limit: e.g. `mail_address`, `login_failures_ip`. */
  @PrimaryColumn({ type: 'varchar', length: 40 })
  name!: string;

  /** What is counted: an IP (with its tenant), a hashed address, a device id. */
  @PrimaryColumn({ type: 'varchar', length: 200 })
  key!: string;

  @PrimaryColumn({ name: 'window_start', type: 'timestamptz' })
  windowStart!: Date;

  @Column({ type: 'int', default: 0 })
  hits!: number;

  /** When the row stops mattering (the end of the window after its own); housekeeping deletes it then. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
