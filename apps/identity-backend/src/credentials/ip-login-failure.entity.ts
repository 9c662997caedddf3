import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Failed sign-ins per client IP per minute, for per-IP throttling shared by all replicas. */
@Entity({ name: 'ip_login_failures' })
export class IpLoginFailure {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  ip!: string;

  @PrimaryColumn({ type: 'timestamptz' })
  minute!: Date;

  @Column({ type: 'int', default: 0 })
  failures!: number;
}
