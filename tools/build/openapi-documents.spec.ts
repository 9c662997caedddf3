import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The committed OpenAPI documents (written by the build, checked fresh by the CI build) are what
// the console's types and every integrator read: each operation says what it does and how it fails.
const DOCUMENTS = ['identity-backend', 'authorization-server'];

/** Operations that cannot fail for a caller, and why. */
const NO_ERROR_RESPONSES = new Set([
  // Public CORS helper for the identity backend: any origin gets 200 with `allowed: true|false`.
  'GET /api/v1/web-origins/allowed',
]);

interface Operation {
  summary?: string;
  responses?: Record<string, unknown>;
}

function operationsOf(service: string): [string, Operation][] {
  const path = join(__dirname, '../../libs/web/src/api', `${service}.openapi.json`);
  const document = JSON.parse(readFileSync(path, 'utf8')) as { paths: Record<string, Record<string, Operation>> };
  return Object.entries(document.paths).flatMap(([route, methods]) =>
    Object.entries(methods)
      .filter(([, operation]) => typeof operation === 'object' && operation.responses)
      .map(([method, operation]): [string, Operation] => [`${method.toUpperCase()} ${route}`, operation]),
  );
}

describe.each(DOCUMENTS)('the %s OpenAPI document', (service) => {
  it('has a summary on every operation', () => {
    expect(
      operationsOf(service)
        .filter(([, op]) => !op.summary?.trim())
        .map(([name]) => name),
    ).toEqual([]);
  });

  it('names the error responses of every operation', () => {
    const withoutErrors = operationsOf(service).filter(
      ([name, op]) =>
        !NO_ERROR_RESPONSES.has(name) && !Object.keys(op.responses ?? {}).some((status) => Number(status) >= 400),
    );
    expect(withoutErrors.map(([name]) => name)).toEqual([]);
  });
});
