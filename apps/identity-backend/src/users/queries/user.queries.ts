import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import type { User } from '../user.entity';
import { UsersRepository } from '../users.repository';

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
