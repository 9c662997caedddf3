import { defineApiErrors } from '@platform/runtime';

/** Every failure of the resource servers (APIs) admin API; not the token-checking errors of @platform/resource-server. */
export enum ResourceServerErrorCode {
  Exists = 'resource_server_exists',
  NotFound = 'resource_server_not_found',
  InvalidScopePermissions = 'invalid_scope_permissions',
  InvalidIntrospectionClient = 'invalid_introspection_client',
}

export class ResourceServersApiError extends defineApiErrors<ResourceServerErrorCode>({
  [ResourceServerErrorCode.Exists]: 409,
  [ResourceServerErrorCode.NotFound]: 404,
  [ResourceServerErrorCode.InvalidScopePermissions]: 400,
  [ResourceServerErrorCode.InvalidIntrospectionClient]: 400,
}) {}
