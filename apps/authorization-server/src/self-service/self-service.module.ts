import { Module } from '@nestjs/common';
import { HostedTenants } from '../interactions/hosted-tenants';
import { SelfServiceClient } from './self-service.client';
import { SelfServiceController } from './self-service.controller';
import { SelfServiceCsrf } from './self-service-csrf';
import { SelfServiceService } from './self-service.service';

/** Sign-up, email verification, forgot/reset password and email-change confirmation pages under /account. */
@Module({
  controllers: [SelfServiceController],
  providers: [SelfServiceService, SelfServiceClient, SelfServiceCsrf, HostedTenants],
})
export class SelfServiceModule {}
