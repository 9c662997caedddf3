import {
  applyDecorators,
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  principalOf,
  type Principal,
  tenantScope,
  ResourceServerError,
  ResourceServerErrorCode,
} from '@platform/resource-server';
import { defineApiErrors } from '@platform/runtime';
import { isUUID } from 'class-validator';

/** Platform administrators (naming no tenant) reach every tenant's resources and the platform's own. */
export const ALL_TENANTS = Symbol('all tenants');

/**
 * What a management request may reach: one tenant's resources (a tenant id), or for a platform
 * administrator everything. Repositories take it as a parameter, so no query can be written without it.
 */
export type TenantScope = string | typeof ALL_TENANTS;

export enum ManagementAccessErrorCode {
  PlatformAdminRequired = 'platform_admin_required',
}

export class ManagementAccessError extends defineApiErrors<ManagementAccessErrorCode>({
  [ManagementAccessErrorCode.PlatformAdminRequired]: 403,
}) {}

/**
 * The scope of a caller: the backend's @ScopedTenant semantics (their own tenant; `?tenantId=`
 * only for platform administrators, 404 for anyone else naming another), except that a platform
 * administrator naming none reaches all tenants and the platform clients bound to none.
 */
export function managedTenantOf(principal: Principal, requested?: unknown): TenantScope {
  if (requested === undefined || requested === null) {
    return principal.isPlatformAdmin ? ALL_TENANTS : tenantScope(principal);
  }
  if (typeof requested !== 'string' || !isUUID(requested)) {
    throw new ResourceServerError(ResourceServerErrorCode.NotFound, 'Not found');
  }
  return tenantScope(principal, requested);
}

/** Whether a resource owned by `tenantId` (null: a platform resource) is within the scope. */
export const inTenantScope = (scope: TenantScope, tenantId: string | null): boolean =>
  scope === ALL_TENANTS || tenantId === scope;

/**
 * The owner of a resource being created: the caller's tenant (naming another answers 404, as
 * @ScopedTenant does), or for a platform administrator the tenant named, none being a platform resource.
 */
export function newResourceTenant(scope: TenantScope, requested: string | null | undefined): string | null {
  if (scope === ALL_TENANTS) return requested ?? null;
  if (requested && requested !== scope) throw new ResourceServerError(ResourceServerErrorCode.NotFound, 'Not found');
  return scope;
}

/** A TypeORM `where` fragment limiting a query to the scope. */
export const tenantWhere = (scope: TenantScope): { tenantId?: string } =>
  scope === ALL_TENANTS ? {} : { tenantId: scope };

/** The route's TenantScope, from the verified token and the `tenantId` query parameter. */
export const ManagedTenant = createParamDecorator((_data: unknown, ctx: ExecutionContext): TenantScope => {
  const req = ctx.switchToHttp().getRequest<{ query?: Record<string, unknown> }>();
  const principal = principalOf(req);
  if (!principal) throw new Error('@ManagedTenant() used on a route that is not authenticated');
  return managedTenantOf(principal, req.query?.tenantId);
});

/** Documents the `tenantId` query parameter @ManagedTenant reads. */
export const ApiManagedTenantQuery = () =>
  ApiQuery({
    name: 'tenantId',
    required: false,
    description:
      "Platform administrators: the tenant to act in (without it, every tenant's and the platform's resources); others always act in their token's tenant",
  });

/** The OpenAPI head of a management controller: its tag, the bearer token, the `tenantId` parameter @ManagedTenant reads. */
export const ManagementApi = (tag: string) => applyDecorators(ApiTags(tag), ApiBearerAuth(), ApiManagedTenantQuery());

@Injectable()
export class PlatformAdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    // Runs after the global bearer guard has verified the token and its scopes/permissions.
    if (principalOf(context.switchToHttp().getRequest())?.isPlatformAdmin) return true;
    throw new ManagementAccessError(
      ManagementAccessErrorCode.PlatformAdminRequired,
      'Platform-wide resources are managed by platform administrators only',
    );
  }
}

/**
 * Platform-wide resources (signing keys, APIs): a platform administrator only (platform:admin,
 * or platform.admin on a client's own token), whatever permissions a tenant role carries.
 */
export const PlatformAdminOnly = () =>
  applyDecorators(
    UseGuards(PlatformAdminGuard),
    ApiForbiddenResponse({ description: 'platform_admin_required: not a platform administrator' }),
  );
