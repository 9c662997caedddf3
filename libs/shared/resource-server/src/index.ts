export {
  JwtAccessTokenVerifier,
  ALLOWED_ALGORITHMS,
  type JwtAccessTokenVerifierOptions,
} from './jwt-access-token-verifier';
export { BearerAuthGuard, satisfies } from './bearer-auth.guard';
export { Authorize, CurrentPrincipal, principalOf, Public, type AccessRequirement } from './decorators';
export { PLATFORM_ADMIN_PERMISSION, PLATFORM_ADMIN_SCOPE, principalFromClaims, type Principal } from './principal';
export { ResourceServerError, ResourceServerErrorCode } from './resource-server-error';
export { ResourceServerModule } from './resource-server.module';
export { ScopedTenant, tenantScope } from './tenant-scope';
