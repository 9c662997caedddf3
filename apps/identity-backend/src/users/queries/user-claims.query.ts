import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { RolesRepository } from '../../roles/roles.repository';
import { OperatorsTenant } from '../../tenants/operators-tenant';
import { claimsFor, type UserClaims } from '../claims';

export class UserClaimsQuery extends Query<UserClaims> {
  constructor(
    readonly userId: string,
    readonly scopes: ReadonlySet<string>,
  ) {
    super();
  }
}

/** Claims for tokens and userinfo; a user who can no longer sign in answers 410 so the caller drops them. */
@QueryHandler(UserClaimsQuery)
export class UserClaimsHandler implements IQueryHandler<UserClaimsQuery> {
  constructor(
    private readonly roles: RolesRepository,
    private readonly operators: OperatorsTenant,
  ) {}

  async execute({ userId, scopes }: UserClaimsQuery): Promise<UserClaims> {
    // The subject of a token: the user's own tenant scopes everything after this.
    // With their direct and group roles and group names, in one query (this runs on every token issued).
    const found = await this.roles.userWithAuthority(userId);
    if (!found) throw new IdentityError(IdentityErrorCode.UserNotFound, 'User not found');
    const { user, authority } = found;
    if (user.status !== 'active') {
      throw new IdentityError(IdentityErrorCode.UserInactive, 'The user can no longer sign in', {
        status: user.status,
      });
    }
    return this.operators.withPlatformPower(user, claimsFor(user, scopes, authority.roles, authority.groups));
  }
}
