import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { type Cursor, timestampSortKey } from '../common/cursor';
import { IdentityError, IdentityErrorCode } from '../common/identity-error';
import { UserRole } from '../roles/user-role.entity';
import { User, type UserStatus } from './user.entity';

export type UserSort = 'createdAt' | '-createdAt' | 'email' | '-email';

export interface UserFilters {
  status?: UserStatus;
  roleId?: string;
  emailPrefix?: string;
  usernamePrefix?: string;
  createdAfter?: Date;
  createdBefore?: Date;
}

// Creation time at the cursor's precision (common/cursor.ts), then id: each user once, in both orders.
const SORT_COLUMNS = { createdAt: timestampSortKey('u.created_at'), email: 'u.email_canonical' } as const;

/** A user found by a command, unless there is none or they are deleted: user_not_found either way. */
export function existingUser(found: User | null): User {
  if (!found || found.status === 'deleted') throw new IdentityError(IdentityErrorCode.UserNotFound, 'User not found');
  return found;
}

/**
 * A page of the users a link table ties to one of its rows (a role's holders, a group's direct
 * members), ordered by id after `afterUserId` (keyset pagination). The link has user_id, tenant_id
 * and the `ownerColumn` naming the row.
 */
export function usersLinkedTo(
  manager: EntityManager,
  link: new () => object,
  { tenantId, ownerColumn, ownerId }: { tenantId: string; ownerColumn: 'role_id' | 'group_id'; ownerId: string },
  limit: number,
  afterUserId?: string,
): Promise<User[]> {
  const query = manager
    .createQueryBuilder(User, 'u')
    .innerJoin(link, 'link', 'link.user_id = u.id')
    .where(`link.tenant_id = :tenantId AND link.${ownerColumn} = :ownerId`, { tenantId, ownerId })
    .orderBy('u.id', 'ASC')
    .limit(limit);
  if (afterUserId) query.andWhere('u.id > :afterUserId', { afterUserId });
  return query.getMany();
}

/** Every method takes the tenant first: users are never looked up across tenants. */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(tenantId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.findOneBy(User, { tenantId, id });
  }

  /**
   * The one look-up without a tenant: for callers whose input already names the user alone and
   * proves it (the internal claims API for a token's subject, a redeemed email link). User ids
   * are unique across tenants; the row carries its tenant for everything that follows.
   */
  findByIdInAnyTenant(id: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.findOneBy(User, { id });
  }

  findByCanonicalEmail(tenantId: string, emailCanonical: string, manager: EntityManager = this.dataSource.manager) {
    return manager.findOneBy(User, { tenantId, emailCanonical });
  }

  /** The user, row-locked until the transaction ends: two concurrent status changes must not both pass their check. */
  findForUpdate(manager: EntityManager, tenantId: string, id: string): Promise<User | null> {
    return manager
      .getRepository(User)
      .createQueryBuilder('u')
      .setLock('pessimistic_write')
      .where('u.tenant_id = :tenantId AND u.id = :id', { tenantId, id })
      .getOne();
  }

  save(manager: EntityManager, user: User): Promise<User> {
    return manager.save(User, user);
  }

  /** A column update of a user already found in its tenant (the password, a verified or changed address). */
  async update(
    manager: EntityManager,
    user: Pick<User, 'id' | 'tenantId'>,
    changes: Partial<
      Pick<
        User,
        'passwordHash' | 'passwordChangedAt' | 'mustChangePassword' | 'email' | 'emailCanonical' | 'emailVerified'
      >
    >,
  ): Promise<void> {
    await manager.update(User, { tenantId: user.tenantId, id: user.id }, changes);
  }

  async list(tenantId: string, filters: UserFilters, sort: UserSort, limit: number, after?: Cursor): Promise<User[]> {
    const descending = sort.startsWith('-');
    const column = SORT_COLUMNS[sort.replace('-', '') as keyof typeof SORT_COLUMNS];
    const query = this.dataSource.manager.createQueryBuilder(User, 'u').where('u.tenant_id = :tenantId', { tenantId });
    applyFilters(query, filters);
    if (after) {
      const value = column === SORT_COLUMNS.createdAt ? new Date(after.value) : after.value;
      query.andWhere(`(${column}, u.id) ${descending ? '<' : '>'} (:afterValue, :afterId)`, {
        afterValue: value,
        afterId: after.id,
      });
    }
    return query
      .orderBy(column, descending ? 'DESC' : 'ASC')
      .addOrderBy('u.id', descending ? 'DESC' : 'ASC')
      .limit(limit)
      .getMany();
  }
}

function applyFilters(query: SelectQueryBuilder<User>, filters: UserFilters): void {
  if (filters.status) query.andWhere('u.status = :status', { status: filters.status });
  if (filters.emailPrefix) {
    query.andWhere(`u.email_canonical LIKE :emailPrefix ESCAPE '\\'`, {
      emailPrefix: `${escapeLike(filters.emailPrefix)}%`,
    });
  }
  if (filters.usernamePrefix) {
    query.andWhere(`u.username_canonical LIKE :usernamePrefix ESCAPE '\\'`, {
      usernamePrefix: `${escapeLike(filters.usernamePrefix)}%`,
    });
  }
  if (filters.createdAfter) query.andWhere('u.created_at >= :createdAfter', { createdAfter: filters.createdAfter });
  if (filters.createdBefore) query.andWhere('u.created_at < :createdBefore', { createdBefore: filters.createdBefore });
  if (filters.roleId) {
    query.andWhere(
      `EXISTS (SELECT 1 FROM ${query.connection.getMetadata(UserRole).tableName} ur WHERE ur.user_id = u.id AND ur.role_id = :roleId)`,
      { roleId: filters.roleId },
    );
  }
}

/** `%` and `_` in a search prefix are literal characters, not wildcards. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
