import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

/**
 * OpenAPI error responses of a route: the 401 every bearer route has, then one response per
 * status naming the machine-readable codes the route answers with (each feature's status map).
 */
export function apiErrorResponses<C extends string>(statusOf: (code: C) => number, codes: readonly C[]) {
  const byStatus = new Map<number, string[]>();
  for (const code of codes) byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
  return applyDecorators(
    ApiResponse({ status: 401, description: 'No valid bearer token (`invalid_token`)' }),
    ...[...byStatus].map(([status, names]) =>
      ApiResponse({ status, description: names.map((name) => `\`${name}\``).join(', ') }),
    ),
  );
}
