import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessTokenVerifier, type AccessTokenVerifierOptions } from './access-token-verifier';
import { BearerAuthGuard } from './bearer-auth.guard';

/** Makes a Nest service a resource server: bearer JWT access tokens checked on every API route. */
@Module({})
export class ResourceServerModule {
  static forRoot(options: AccessTokenVerifierOptions): DynamicModule {
    return {
      module: ResourceServerModule,
      global: true,
      providers: [
        { provide: AccessTokenVerifier, useValue: new AccessTokenVerifier(options) },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
      ],
      exports: [AccessTokenVerifier],
    };
  }
}
