import { uniqueViolation } from '@platform/database';
import type { EntityManager } from 'typeorm';

/**
 * A tenant's named rows (roles, groups) in memory by id, behind the repository methods the
 * handlers call: another tenant's row is not found, a new row saved gets `newId`, and once
 * `takeNames()` was called a save fails with the unique-name violation `nameConstraint`.
 */
export function tenantRows<R extends { id: string; tenantId: string }>(
  rows: Map<string, R>,
  { newId, nameConstraint }: { newId: string; nameConstraint: string },
) {
  let namesTaken = false;
  const inTenant = (tenantId: string, id: string) => {
    const row = rows.get(id);
    return row && row.tenantId === tenantId ? row : null;
  };
  return {
    inTenant,
    takeNames: () => (namesTaken = true),
    findById: async (tenantId: string, id: string) => inTenant(tenantId, id),
    findByIds: async (tenantId: string, ids: string[]) => ids.map((id) => inTenant(tenantId, id)).filter(Boolean),
    save: async (_m: EntityManager, row: R) => {
      if (namesTaken) throw uniqueViolation(nameConstraint);
      const saved = Object.assign(row, { id: row.id ?? newId });
      rows.set(saved.id, saved);
      return saved;
    },
  };
}
