import { sqlMigration } from '@platform/database';

/** Which oidc-provider sessions are administrators acting as users (impersonation/, issue 16). */
export const CreateImpersonationSessions1796151600000 = sqlMigration('CreateImpersonationSessions1796151600000', {
  up: [
    `
      CREATE TABLE "impersonation_sessions" (
        "session_uid" varchar(64) NOT NULL,
        "impersonation_id" uuid NOT NULL,
        "tenant_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "actor_id" uuid NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_impersonation_sessions" PRIMARY KEY ("session_uid")
      )`,
    `CREATE INDEX "IDX_impersonation_sessions_user" ON "impersonation_sessions" ("user_id")`,
  ],
  down: [`DROP TABLE "impersonation_sessions"`],
});
