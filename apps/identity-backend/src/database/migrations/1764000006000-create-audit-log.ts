import { sqlMigration } from '@platform/database';

export const CreateAuditLog1764000006000 = sqlMigration('CreateAuditLog1764000006000', {
  up: [
    `
      CREATE TABLE "audit_log" (
        "id" bigserial NOT NULL,
        "tenant_id" uuid,
        "action" varchar(100) NOT NULL,
        "target_type" varchar(32) NOT NULL,
        "target_id" varchar(255) NOT NULL,
        "actor" varchar(255),
        "actor_type" varchar(16) NOT NULL,
        "client_id" varchar(255),
        "ip" varchar(64),
        "request_id" varchar(128),
        "details" jsonb NOT NULL DEFAULT '{}',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_audit_log" PRIMARY KEY ("id")
      )`,
    `CREATE INDEX "IDX_audit_log_tenant" ON "audit_log" ("tenant_id", "id")`,
    `CREATE INDEX "IDX_audit_log_target" ON "audit_log" ("target_id", "id")`,
    // Append-only, enforced by the database rather than by convention.
    `
      CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only';
      END $$`,
    `
      CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE ON "audit_log"
      FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only()`,
  ],
  down: [`DROP TABLE "audit_log"`, `DROP FUNCTION audit_log_is_append_only()`],
});
