export { ALLOWED_ALGORITHMS } from './algorithms';
export { JwtAccessTokenVerifier, type JwtAccessTokenVerifierOptions } from './jwt-access-token-verifier';
export {
  type CertificateRequest,
  type ClientCertificateOptions,
  certificateThumbprint,
  parseCertificateHeader,
  requestClientCertificate,
} from './client-certificate';
export { DpopProofVerifier, type DpopExpectation, type DpopProofVerifierOptions } from './dpop-proof-verifier';
export { type DpopReplayStore, InMemoryDpopReplayStore } from './dpop-replay-store';
export { type Authentication, type DpopOptions, RequestAuthenticator } from './request-authenticator';
export { type ExternalUrlOptions, externalRequestUrl } from './request-url';
export { BearerAuthGuard, satisfies } from './bearer-auth.guard';
export { Authorize, CurrentPrincipal, principalOf, Public, type AccessRequirement } from './decorators';
export { PLATFORM_ADMIN_PERMISSION, PLATFORM_ADMIN_SCOPE, principalFromClaims, type Principal } from './principal';
export { type AuthScheme, ResourceServerError, ResourceServerErrorCode } from './resource-server-error';
export { ResourceServerModule, type ResourceServerOptions } from './resource-server.module';
export { RequestedTenantId, ScopedTenant, TenantFilter, tenantScope } from './tenant-scope';
