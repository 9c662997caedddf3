import { Command } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { EventRecorder } from '../../events/event-recorder';
import type { User } from '../../users/user.entity';
import { UsersRepository } from '../../users/users.repository';
import type { EmailTokenPurpose } from '../email-token.entity';
import { EmailTokens } from '../email-tokens';

/** An opened email link (address confirmation, email change): the token it carried. */
export abstract class EmailLinkCommand extends Command<void> {
  constructor(readonly token: string) {
    super();
  }
}

/**
 * The handler of an opened email link: the link is spent and its user changed in one transaction,
 * so a change that fails leaves the link usable.
 */
export abstract class EmailLinkHandler {
  /** Which links this handler opens (a token of another purpose is invalid here). */
  protected abstract readonly purpose: EmailTokenPurpose;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: EmailTokens,
    protected readonly users: UsersRepository,
    protected readonly events: EventRecorder,
  ) {}

  /** What opening the link does to its user, with what the link was issued to apply. */
  protected abstract apply(manager: EntityManager, user: User, payload: Record<string, string>): Promise<void>;

  execute({ token }: EmailLinkCommand): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      const { userId, payload } = await this.tokens.redeemWithPayload(manager, token, this.purpose);
      await this.apply(manager, await linkOwner(this.users, userId, manager), payload);
    });
  }
}

/** The user an email link was issued to: a link names its user alone (user ids are unique across tenants). */
export async function linkOwner(users: UsersRepository, userId: string, manager?: EntityManager): Promise<User> {
  const user = await users.findByIdInAnyTenant(userId, manager);
  if (!user) throw new IdentityError(IdentityErrorCode.InvalidEmailToken, 'This link is invalid');
  return user;
}
