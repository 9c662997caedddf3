import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { PasskeyView } from '../dto/passkey.dto';
import { PasskeysRepository } from '../passkeys.repository';

export class ListPasskeysQuery extends Query<PasskeyView[]> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
  ) {
    super();
  }
}

@QueryHandler(ListPasskeysQuery)
export class ListPasskeysHandler implements IQueryHandler<ListPasskeysQuery> {
  constructor(private readonly passkeys: PasskeysRepository) {}

  async execute({ tenantId, userId }: ListPasskeysQuery): Promise<PasskeyView[]> {
    return (await this.passkeys.ofUser(tenantId, userId)).map((p) => PasskeyView.of(p));
  }
}
