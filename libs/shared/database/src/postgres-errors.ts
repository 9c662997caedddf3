import { QueryFailedError } from 'typeorm';

/** True when a query failed on a unique constraint (optionally a specific one by name). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && (constraint === undefined || driverError.constraint === constraint);
}

/** The error a violated unique key raises, as isUniqueViolation recognises it: for specs of the code that maps it. */
export function uniqueViolation(constraint: string): QueryFailedError {
  return Object.assign(new QueryFailedError('INSERT', [], new Error(`duplicate key value violates "${constraint}"`)), {
    driverError: { code: '23505', constraint },
  });
}
