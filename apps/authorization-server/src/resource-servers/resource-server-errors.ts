import { defineApiErrorCodes } from '@platform/runtime';

/** Every failure of the resource servers (APIs) admin API; not the token-checking errors of @platform/resource-server. */
export const [ResourceServerErrorCode, ResourceServersApiError] = defineApiErrorCodes({
  Exists: ['resource_server_exists', 409],
  NotFound: ['resource_server_not_found', 404],
  InvalidScopePermissions: ['invalid_scope_permissions', 400],
  InvalidIntrospectionClient: ['invalid_introspection_client', 400],
});
