import { JoinColumn, ManyToOne, type ObjectType } from 'typeorm';

type OnDelete = 'CASCADE' | 'RESTRICT' | 'SET NULL';

/**
 * A many-to-one relation through the foreign-key column `column`, with the constraint name the
 * migrations give it (a name TypeORM would otherwise make up, and the schema-drift test would then
 * report).
 */
export function References<T>(
  target: () => ObjectType<T>,
  column: string,
  foreignKeyConstraintName: string,
  onDelete: OnDelete,
): PropertyDecorator {
  const relation = ManyToOne(target, { onDelete });
  const join = JoinColumn({ name: column, foreignKeyConstraintName });
  return (prototype, property) => {
    join(prototype, property);
    relation(prototype, property);
  };
}
