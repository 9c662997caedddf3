import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Housekeeping, type HousekeepingTask } from '@platform/runtime';
import { ExpireImpersonationsCommand } from './commands/impersonation.commands';

/** Records impersonations that ran out (audit trail: `impersonation_ended`, reason expired), shortly after they do. */
@Injectable()
export class ImpersonationExpiry extends Housekeeping {
  protected override readonly intervalMs = 15_000;
  protected readonly tasks: HousekeepingTask[];

  constructor(commands: CommandBus) {
    super();
    this.tasks = [{ name: 'expired impersonations', run: () => commands.execute(new ExpireImpersonationsCommand()) }];
  }
}
