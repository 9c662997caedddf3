import { CreateDateColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

// The columns many entities share, declared once: a generated uuid key, the row's creation and update times.

/** `id uuid NOT NULL DEFAULT gen_random_uuid()`, the primary key. */
export abstract class UuidKeyed {
  @PrimaryGeneratedColumn('uuid')
  id!: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the mixin pattern's constructor type
type AbstractClass = abstract new (...args: any[]) => object;

/** What an entity with no columns of its own to inherit extends `WithCreatedAt`/`WithTimestamps` of. */
abstract class NoColumns {}

/**
 * `created_at timestamptz NOT NULL DEFAULT now()`, added to `Base`'s columns: when Postgres
 * inserted the row. A mixin, so that it composes with an entity's other base (e.g. TenantOwned).
 */
export function WithCreatedAt<TBase extends AbstractClass>(Base: TBase = NoColumns as TBase) {
  abstract class CreatedAt extends Base {
    @CreateDateColumn({ type: 'timestamptz' })
    createdAt!: Date;
  }
  return CreatedAt;
}

/** `created_at` and `updated_at` (which TypeORM sets on every save), added to `Base`'s columns. */
export function WithTimestamps<TBase extends AbstractClass>(Base: TBase = NoColumns as TBase) {
  abstract class Timestamps extends WithCreatedAt(Base) {
    @UpdateDateColumn({ type: 'timestamptz' })
    updatedAt!: Date;
  }
  return Timestamps;
}
