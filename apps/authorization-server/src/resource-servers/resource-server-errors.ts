import { ApiError } from '@platform/runtime';

/** Every failure of the resource servers API, as a stable machine-readable code. */
export enum ResourceServerErrorCode {
  Exists = 'resource_server_exists',
  NotFound = 'resource_server_not_found',
  InvalidScopePermissions = 'invalid_scope_permissions',
  InvalidIntrospectionClient = 'invalid_introspection_client',
}

const STATUS: Record<ResourceServerErrorCode, number> = {
  [ResourceServerErrorCode.Exists]: 409,
  [ResourceServerErrorCode.NotFound]: 404,
  [ResourceServerErrorCode.InvalidScopePermissions]: 400,
  [ResourceServerErrorCode.InvalidIntrospectionClient]: 400,
};

export const resourceServerError = (code: ResourceServerErrorCode, message: string) =>
  new ApiError(STATUS[code], code, message);
