import { Module } from '@nestjs/common';
import { FederatedLogin } from '../interactions/federated-login';
import { AccountLinkCallbackController, MyAccountLinksController } from './account-links.controller';
import { AccountLinks } from './account-links.service';

/** Linking an external account from the account console (the upstream round trip, the callback). */
@Module({
  controllers: [MyAccountLinksController, AccountLinkCallbackController],
  providers: [AccountLinks, FederatedLogin],
})
export class AccountLinksModule {}
