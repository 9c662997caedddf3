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
        name: 'per-IP sign-in failure counters',
        run: async () =>
          affectedRows(
            await dataSource.query(`DELETE FROM ip_login_failures WHERE minute < now() - make_interval(secs => $1)`, [
              config.LOGIN_IP_WINDOW_SECONDS * 2,
            ]),
          ),
      },
      {
        name: 'used or expired email links',
        run: async () =>
          affectedRows(await dataSource.query(`DELETE FROM email_tokens WHERE expires_at < now() - interval '1 day'`)),
      },
    ];
  }
}
