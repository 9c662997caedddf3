import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtAccessTokenVerifier, type JwtAccessTokenVerifierOptions } from './jwt-access-token-verifier';
import { BearerAuthGuard } from './bearer-auth.guard';

/**
 * Makes a Nest service a resource server: a global guard demands a bearer JWT access
 * token on every /api/ and /internal/ route (and any route declaring @Authorize).
 * Keys are fetched on first use, so a service boots while the authorization server is down.
 */
@Module({})
export class ResourceServerModule {
  static forRoot(options: JwtAccessTokenVerifierOptions): DynamicModule {
    return {
      module: ResourceServerModule,
      global: true,
      providers: [
        { provide: JwtAccessTokenVerifier, useValue: new JwtAccessTokenVerifier(options) },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
      ],
      exports: [JwtAccessTokenVerifier],
    };
  }
}
