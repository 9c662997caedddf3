import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { principalOf } from './decorators';
import type { Principal } from './principal';
import { ResourceServerError, ResourceServerErrorCode } from './resource-server-error';

/**
 * The tenant a request may act on: the caller's own, unless a platform administrator
 * names another. Anyone else naming another tenant gets a 404, so tenant ids cannot
 * be probed.
 */
export function tenantScope(principal: Principal, requestedTenantId?: string | null): string {
  if (principal.isPlatformAdmin && requestedTenantId) return requestedTenantId;
  if (!principal.tenantId) {
    throw new ResourceServerError(ResourceServerErrorCode.NotFound, 'Not found');
  }
  if (requestedTenantId && requestedTenantId !== principal.tenantId) {
    throw new ResourceServerError(ResourceServerErrorCode.NotFound, 'Not found');
  }
  return principal.tenantId;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The `tenantId` query parameter of an authenticated request; a malformed id names no tenant: 404 like any other. */
function requestedTenant(ctx: ExecutionContext, decorator: string): { principal: Principal; requested?: string } {
  const req = ctx.switchToHttp().getRequest<{ query?: Record<string, unknown> }>();
  const principal = principalOf(req);
  if (!principal) throw new Error(`@${decorator}() used on a route that is not authenticated`);
  const requested = req.query?.tenantId;
  if (requested !== undefined && (typeof requested !== 'string' || !UUID.test(requested))) {
    throw new ResourceServerError(ResourceServerErrorCode.NotFound, 'Not found');
  }
  return { principal, requested };
}

/**
 * The tenant a route acts in, as a parameter: the caller's own, or for platform
 * administrators the one named by the `tenantId` query parameter (so operators can manage
 * any tenant's resources by id).
 */
export const ScopedTenant = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  const { principal, requested } = requestedTenant(ctx, 'ScopedTenant');
  return tenantScope(principal, requested);
});

/**
 * The `tenantId` query parameter as given (undefined when absent; a malformed one 404s like
 * everywhere else), for a route that resolves the scope itself from more than one place.
 */
export const RequestedTenantId = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): string | undefined => requestedTenant(ctx, 'RequestedTenantId').requested,
);

/**
 * The tenant a read across tenants is filtered to: like @ScopedTenant(), except that a platform
 * administrator who names no tenant gets null, meaning every tenant (an operator's console view).
 */
export const TenantFilter = createParamDecorator((_data: unknown, ctx: ExecutionContext): string | null => {
  const { principal, requested } = requestedTenant(ctx, 'TenantFilter');
  return principal.isPlatformAdmin && !requested ? null : tenantScope(principal, requested);
});
