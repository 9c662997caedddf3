import { Injectable, Module } from '@nestjs/common';
import { Housekeeping, type HousekeepingTask } from '@platform/runtime';
import { ImpersonationStartController } from './impersonation.controller';
import { ImpersonationSessions } from './impersonation-sessions';

/** A day after their end, impersonated sessions' records go (their tokens were refused since the end). */
@Injectable()
export class ImpersonationHousekeeping extends Housekeeping {
  protected readonly tasks: HousekeepingTask[];

  constructor(sessions: ImpersonationSessions) {
    super();
    this.tasks = [{ name: 'ended impersonated sessions', run: () => sessions.pruneEnded() }];
  }
}

/** Impersonation's start link (issue 16); ImpersonationSessions itself lives in OidcModule, which token issuance needs it in. */
@Module({
  controllers: [ImpersonationStartController],
  providers: [ImpersonationHousekeeping],
})
export class ImpersonationModule {}
