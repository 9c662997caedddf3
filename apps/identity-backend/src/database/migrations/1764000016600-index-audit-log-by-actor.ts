import { sqlMigration } from '@platform/database';

/**
 * The audit log filtered by who acted (GET /api/v1/audit-events?actor=, also with from/to): a
 * tenant's entries of one actor, newest first (AuditRepository.list orders by id), read backwards
 * from this index instead of walking the tenant's whole trail; the time range filters the rows it
 * finds. Tenant first: every list but the platform administrators' all-tenants one is scoped.
 *
 * Built CONCURRENTLY, outside a transaction, so that a long audit log does not hold up the writes
 * that audit while it builds. A build that failed part-way leaves an invalid index of this name and
 * no record of the migration: it is dropped and built again.
 */
export const IndexAuditLogByActor1764000016600 = sqlMigration('IndexAuditLogByActor1764000016600', {
  transaction: false,
  up: [
    `DROP INDEX CONCURRENTLY IF EXISTS "IDX_audit_log_tenant_actor"`,
    `CREATE INDEX CONCURRENTLY "IDX_audit_log_tenant_actor" ON "audit_log" ("tenant_id", "actor", "id")`,
  ],
  down: [`DROP INDEX CONCURRENTLY IF EXISTS "IDX_audit_log_tenant_actor"`],
});
