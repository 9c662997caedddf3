/**
 * Rows touched by a raw UPDATE/DELETE through TypeORM's `query()`, which answers
 * `[rows, rowCount]` for those commands on Postgres.
 */
export function affectedRows(result: unknown): number {
  return Array.isArray(result) ? Number(result[1] ?? 0) : 0;
}
