import { affectedRows } from '@platform/database';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { pruneSentMessages } from '@platform/events';
import { Housekeeping, type HousekeepingTask } from '@platform/runtime';
import { DataSource } from 'typeorm';
import { IDENTITY_CONFIG } from './common/tokens';
import type { IdentityBackendConfig } from './config';

@Injectable()
export class IdentityHousekeeping extends Housekeeping {
  protected readonly tasks: HousekeepingTask[];

  constructor(@InjectDataSource() dataSource: DataSource, @Inject(IDENTITY_CONFIG) config: IdentityBackendConfig) {
    super();
    this.tasks = [
      {
        name: 'published outbox rows',
        run: () => pruneSentMessages(dataSource, config.OUTBOX_RETENTION_HOURS * 3_600_000),
      },
      {
        name: 'expired abuse-limit counters',
        run: async () =>
          affectedRows(await dataSource.query(`DELETE FROM rate_limit_counters WHERE expires_at < now()`)),
      },
      {
        name: 'used or expired email links',
        run: async () =>
          affectedRows(await dataSource.query(`DELETE FROM email_tokens WHERE expires_at < now() - interval '1 day'`)),
      },
      {
        name: 'unanswered passkey challenges',
        run: async () =>
          affectedRows(await dataSource.query(`DELETE FROM passkey_challenges WHERE expires_at < now()`)),
      },
    ];
  }
}
