import { Module } from '@nestjs/common';
import { FederatedCallbackController, InteractionsController } from './interactions.controller';
import { FederatedLogin } from './federated-login';
import { HostedAssetsController } from './hosted-assets.controller';
import { InteractionsService } from './interactions.service';
import { HostedTenants } from './hosted-tenants';

@Module({
  controllers: [FederatedCallbackController, InteractionsController, HostedAssetsController],
  providers: [InteractionsService, HostedTenants, FederatedLogin],
})
export class InteractionsModule {}
