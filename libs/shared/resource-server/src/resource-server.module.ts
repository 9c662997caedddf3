import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtAccessTokenVerifier, type JwtAccessTokenVerifierOptions } from './jwt-access-token-verifier';
import { BearerAuthGuard } from './bearer-auth.guard';
import type { ClientCertificateOptions } from './client-certificate';
import { type DpopOptions, RequestAuthenticator } from './request-authenticator';

export interface ResourceServerOptions extends JwtAccessTokenVerifierOptions {
  /** DPoP proof checks: public URL (or proxy trust) for `htu`, `iat` window, replay store. */
  dpop?: DpopOptions;
  /** Where certificate-bound tokens' (RFC 8705) client certificate comes from: a trusted proxy header, else the TLS socket. */
  mtls?: ClientCertificateOptions;
}

/**
 * Makes a Nest service a resource server: a global guard demands a JWT access token (bearer,
 * or DPoP-bound with its proof) on every /api/ and /internal/ route (and any route declaring
 * @Authorize). Keys are fetched on first use, so a service boots while the authorization server is down.
 */
@Module({})
export class ResourceServerModule {
  static forRoot({ dpop, mtls, ...tokens }: ResourceServerOptions): DynamicModule {
    const verifier = new JwtAccessTokenVerifier(tokens);
    return {
      module: ResourceServerModule,
      global: true,
      providers: [
        { provide: JwtAccessTokenVerifier, useValue: verifier },
        { provide: RequestAuthenticator, useValue: new RequestAuthenticator(verifier, dpop, mtls) },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
      ],
      exports: [JwtAccessTokenVerifier, RequestAuthenticator],
    };
  }
}
