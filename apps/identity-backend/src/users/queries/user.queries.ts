import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Cursor } from '../../common/cursor';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import type { User } from '../user.entity';
import { UsersRepository, type UserFilters, type UserSort } from '../users.repository';

export class GetUserQuery extends Query<User> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
  ) {
    super();
  }
}

@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery> {
  constructor(private readonly users: UsersRepository) {}

  async execute({ tenantId, userId }: GetUserQuery): Promise<User> {
    const user = await this.users.findById(tenantId, userId);
    if (!user) throw new IdentityError(IdentityErrorCode.UserNotFound, 'User not found');
    return user;
  }
}

export class ListUsersQuery extends Query<User[]> {
  constructor(
    readonly tenantId: string,
    readonly filters: UserFilters,
    readonly sort: UserSort,
    readonly limit: number,
    readonly after?: Cursor,
  ) {
    super();
  }
}

@QueryHandler(ListUsersQuery)
export class ListUsersHandler implements IQueryHandler<ListUsersQuery> {
  constructor(private readonly users: UsersRepository) {}

  execute({ tenantId, filters, sort, limit, after }: ListUsersQuery): Promise<User[]> {
    return this.users.list(tenantId, filters, sort, limit, after);
  }
}
