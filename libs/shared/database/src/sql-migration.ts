import type { MigrationInterface, QueryRunner } from 'typeorm';

export interface SqlMigrationSteps {
  /** The statements that apply the migration, run in this order. */
  up: readonly string[];
  /** The statements that revert it, run in this order (empty when it cannot be reverted). */
  down: readonly string[];
  /** `false` for statements Postgres refuses inside a transaction (CREATE INDEX CONCURRENTLY). */
  transaction?: false;
}

export type SqlMigration = new () => MigrationInterface;

/**
 * A migration that only runs SQL statements, as the class TypeORM's migration list takes.
 * `name` is what TypeORM records in schema_migrations and orders by (its 13-digit timestamp
 * suffix): it must stay the name the migration was first deployed under.
 */
export function sqlMigration(name: string, steps: SqlMigrationSteps): SqlMigration {
  const migration = class implements MigrationInterface {
    name = name;
    transaction?: false;

    constructor() {
      if (steps.transaction === false) this.transaction = false;
    }

    async up(queryRunner: QueryRunner): Promise<void> {
      for (const statement of steps.up) await queryRunner.query(statement);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      for (const statement of steps.down) await queryRunner.query(statement);
    }
  };
  // The class's own name, as a hand-written one would have it (logs, stack traces).
  Object.defineProperty(migration, 'name', { value: name });
  return migration;
}
