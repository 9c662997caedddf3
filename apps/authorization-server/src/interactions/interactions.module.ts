import { Module } from '@nestjs/common';
import { InteractionsController } from './interactions.controller';
import { InteractionsService } from './interactions.service';
import { HostedTenants } from './hosted-tenants';

@Module({
  controllers: [InteractionsController],
  providers: [InteractionsService, HostedTenants],
})
export class InteractionsModule {}
