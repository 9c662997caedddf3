import { Module } from '@nestjs/common';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysService } from './api-keys/api-keys.service';
import { ClientsController } from './clients/clients.controller';
import { CustomScopesController } from './custom-scopes/custom-scopes.controller';
import { CustomScopesRepository } from './custom-scopes/custom-scopes.repository';
import { CustomScopesService } from './custom-scopes/custom-scopes.service';
import { ClientsService } from './clients/clients.service';
import { WebOrigins } from './clients/web-origins';
import { WebOriginsController } from './clients/web-origins.controller';
import { SigningKeysController } from './keys/signing-keys.controller';
import { ResourceServersController } from './resource-servers/resource-servers.controller';
import { ResourceServersService } from './resource-servers/resource-servers.service';
import { InitialAccessTokensController } from './registration/initial-access-tokens.controller';
import { InitialAccessTokensService } from './registration/initial-access-tokens.service';

/** The /api/v1 management surface of the authorization server. */
@Module({
  controllers: [
    CustomScopesController,
    SigningKeysController,
    ClientsController,
    ResourceServersController,
    ApiKeysController,
    WebOriginsController,
    InitialAccessTokensController,
  ],
  providers: [
    CustomScopesService,
    CustomScopesRepository,
    ClientsService,
    ApiKeysService,
    ResourceServersService,
    WebOrigins,
    InitialAccessTokensService,
  ],
})
export class ManagementModule {}
