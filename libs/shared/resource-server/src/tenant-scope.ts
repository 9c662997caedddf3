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
