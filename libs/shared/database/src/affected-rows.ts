/**
 * Rows touched by a raw UPDATE/DELETE through TypeORM's `query()`, which answers
 * `[rows, rowCount]` for those commands on Postgres.
 */
export function affectedRows(result: unknown): number {
  return Array.isArray(result) ? Number(result[1] ?? 0) : 0;
}

/** Whether an update()/delete() through TypeORM's EntityManager touched any row. */
export function affectedAny(result: { affected?: number | null }): boolean {
  return (result.affected ?? 0) > 0;
}
