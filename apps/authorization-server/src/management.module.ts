import { Module } from '@nestjs/common';
import { ClientsController } from './clients/clients.controller';
import { ClientsService } from './clients/clients.service';
import { SigningKeysController } from './keys/signing-keys.controller';
import { ResourceServersController } from './resource-servers/resource-servers.controller';

/** The /api/v1 management surface of the authorization server. */
@Module({
  controllers: [SigningKeysController, ClientsController, ResourceServersController],
  providers: [ClientsService],
})
export class ManagementModule {}
