import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { IdentityError, type IdentityErrorCode } from '../common/identity-error';

/** OpenAPI error responses of a route: one per status, naming the machine-readable codes it answers with. */
export function ApiIdentityErrors(...codes: IdentityErrorCode[]) {
  const byStatus = new Map<number, string[]>();
  for (const code of codes) {
    const status = new IdentityError(code, '').status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ApiResponse({ status: 401, description: 'No valid bearer token (`invalid_token`)' }),
    ...[...byStatus].map(([status, names]) =>
      ApiResponse({ status, description: names.map((name) => `\`${name}\``).join(', ') }),
    ),
  );
}
