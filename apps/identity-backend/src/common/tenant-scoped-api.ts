import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';

/** The `tenantId` query parameter @ScopedTenant reads, as OpenAPI documents it. */
export const TENANT_ID_QUERY = {
  name: 'tenantId',
  required: false,
  description: "Platform administrators: the tenant to act in (others always act in their token's tenant)",
} as const;

/**
 * The OpenAPI head of a controller of tenant-scoped management routes: its tag, the bearer token
 * every route takes, and the `tenantId` query parameter with which a platform administrator names
 * the tenant (@ScopedTenant; everyone else acts in their token's tenant).
 */
export const TenantScopedApi = (tag: string) =>
  applyDecorators(ApiTags(tag), ApiBearerAuth(), ApiQuery(TENANT_ID_QUERY));
