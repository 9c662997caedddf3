import { IdentityErrorCode } from '../../common/identity-error';
import { aUser, errorCode, TENANT_ID, userCommandDeps } from '../commands/commands.spec-helper';
import { GetUserHandler, GetUserQuery } from './user.queries';

describe('user queries', () => {
  it("finds the tenant's user; an unknown one or another tenant's is user_not_found", async () => {
    const { users } = userCommandDeps([aUser(), aUser({ id: 'u-2', tenantId: 'tenant-b' })]);
    const handler = new GetUserHandler(users);
    await expect(handler.execute(new GetUserQuery(TENANT_ID, 'u-1'))).resolves.toMatchObject({ id: 'u-1' });
    for (const [tenantId, id] of [
      [TENANT_ID, 'u-2'],
      ['tenant-b', 'u-1'],
    ]) {
      expect(await errorCode(handler.execute(new GetUserQuery(tenantId!, id!)))).toBe(IdentityErrorCode.UserNotFound);
    }
  });
});
