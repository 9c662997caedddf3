import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { pruneSentMessages } from '@platform/events';
import { Housekeeping, type HousekeepingTask } from '@platform/runtime';
import { DataSource } from 'typeorm';
import type { AuthorizationServerConfig } from './config';
import { pruneEndedTrust } from './devices/trusted-devices.repository';
import { SigningKeys } from './keys/signing-keys.service';
import { deleteExpiredOidcModels } from './oidc/postgres-adapter';
import { AUTHZ_CONFIG } from './tokens';

@Injectable()
export class AuthorizationServerHousekeeping extends Housekeeping {
  protected readonly tasks: HousekeepingTask[];

  constructor(
    @InjectDataSource() dataSource: DataSource,
    keys: SigningKeys,
    @Inject(AUTHZ_CONFIG) config: AuthorizationServerConfig,
  ) {
    super();
    this.tasks = [
      { name: 'expired oidc-provider artefacts', run: () => deleteExpiredOidcModels(dataSource) },
      {
        name: 'published outbox rows',
        run: () => pruneSentMessages(dataSource, config.OUTBOX_RETENTION_HOURS * 3_600_000),
      },
      {
        name: 'trusted devices whose trust ended over 30 days ago',
        run: () => pruneEndedTrust(dataSource, new Date(Date.now() - 30 * 86_400_000)),
      },
      {
        name: 'retired signing keys past every token lifetime',
        // A day beyond the longest access token: ID tokens and clock skew included.
        run: () => keys.pruneRetired(config.ACCESS_TOKEN_TTL_SECONDS + 86_400),
      },
    ];
  }
}
