import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal } from './principal';

export const PUBLIC_ROUTE = 'resource-server:public';
export const ACCESS_REQUIREMENT = 'resource-server:access';

export interface AccessRequirement {
  /** All of these scopes (client tokens) ... */
  scopes?: readonly string[];
  /** ... or all of these permissions (user tokens, from roles). */
  permissions?: readonly string[];
  /** ... or simply a signed-in end user of a tenant (self-service routes such as /me). */
  signedInUser?: boolean;
}

/** Opens a route under /api to anonymous callers (e.g. self-registration). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Requires a valid token holding the scopes or the permissions given. */
export const Authorize = (requirement: AccessRequirement) => SetMetadata(ACCESS_REQUIREMENT, requirement);

export const PRINCIPAL = Symbol('principal');

export type AuthenticatedRequest = { [PRINCIPAL]?: Principal };

/** The caller a guarded request was authenticated as (undefined on public routes). */
export const principalOf = (req: object): Principal | undefined => (req as AuthenticatedRequest)[PRINCIPAL];

export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>()[PRINCIPAL];
  if (!principal) throw new Error('@CurrentPrincipal() used on a route that is not authenticated');
  return principal;
});
