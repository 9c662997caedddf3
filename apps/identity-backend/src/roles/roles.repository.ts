import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { User } from '../users/user.entity';
import { Role } from './role.entity';
import { UserRole } from './user-role.entity';

/** Every method takes the tenant first: roles are never looked up across tenants. */
@Injectable()
export class RolesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(tenantId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<Role | null> {
    return manager.findOneBy(Role, { tenantId, id });
  }

  findByIds(tenantId: string, ids: string[], manager: EntityManager = this.dataSource.manager): Promise<Role[]> {
    return manager.findBy(Role, { tenantId, id: In(ids) });
  }

  list(tenantId: string): Promise<Role[]> {
    return this.dataSource.manager.find(Role, { where: { tenantId }, order: { name: 'ASC' } });
  }

  rolesOfUser(tenantId: string, userId: string, manager: EntityManager = this.dataSource.manager): Promise<Role[]> {
    return manager
      .createQueryBuilder(Role, 'r')
      .innerJoin(UserRole, 'ur', 'ur.role_id = r.id')
      .where('r.tenant_id = :tenantId AND ur.user_id = :userId', { tenantId, userId })
      .orderBy('r.name', 'ASC')
      .getMany();
  }

  membersOf(tenantId: string, roleId: string, limit: number, afterUserId?: string): Promise<User[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(User, 'u')
      .innerJoin(UserRole, 'ur', 'ur.user_id = u.id')
      .where('ur.tenant_id = :tenantId AND ur.role_id = :roleId', { tenantId, roleId })
      .orderBy('u.id', 'ASC')
      .limit(limit);
    if (afterUserId) query.andWhere('u.id > :afterUserId', { afterUserId });
    return query.getMany();
  }

  countMembers(roleId: string, manager: EntityManager): Promise<number> {
    return manager.countBy(UserRole, { roleId });
  }

  save(manager: EntityManager, role: Role): Promise<Role> {
    return manager.save(Role, role);
  }
}
