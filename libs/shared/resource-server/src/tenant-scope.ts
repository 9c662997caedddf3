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

/**
 * The tenant a route acts in, as a parameter: the caller's own, or for platform
 * administrators the one named by the `tenantId` query parameter (so operators can manage
 * any tenant's resources by id). A malformed id names no tenant: 404 like any other.
 */
export const ScopedTenant = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  const req = ctx.switchToHttp().getRequest<{ query?: Record<string, unknown> }>();
  const principal = principalOf(req);
  if (!principal) throw new Error('@ScopedTenant() used on a route that is not authenticated');
  const requested = req.query?.tenantId;
  if (requested !== undefined && (typeof requested !== 'string' || !UUID.test(requested))) {
    throw new ResourceServerError(ResourceServerErrorCode.NotFound, 'Not found');
  }
  return tenantScope(principal, requested);
});
