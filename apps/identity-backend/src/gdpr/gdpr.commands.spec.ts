import type { DataSource, EntityManager } from 'typeorm';
import { IdentityErrorCode } from '../common/identity-error';
import type { EventRecorder } from '../events/event-recorder';
import { EventTypes, type IdentityEvent } from '../events/identity-events';
import type { User } from '../users/user.entity';
import type { UsersRepository } from '../users/users.repository';
import { EraseUserCommand, EraseUserHandler } from './gdpr.commands';
// The real repository on a recording manager: which rows an erasure deletes and what it leaves.
import { GdprRepository } from './gdpr.repository';

describe('EraseUserHandler (GDPR art. 17)', () => {
  const setUp = () => {
    const user = {
      id: 'u-ada',
      tenantId: 'tenant-a',
      email: 'ada@example.com',
      username: 'ada',
      profile: { name: 'Ada Lovelace' },
      passwordHash: 'hash',
      status: 'active',
      deletedAt: null,
    } as unknown as User;
    const statements: string[] = [];
    const manager = {
      query: async (sql: string, params: unknown[]) => void statements.push(`${sql} [${params.join(',')}]`),
      update: async (_e: unknown, _w: unknown, changes: Partial<User>) => void Object.assign(user, changes),
    } as unknown as EntityManager;
    const dataSource = {
      transaction: async <R>(work: (m: EntityManager) => Promise<R>) => work(manager),
    } as unknown as DataSource;
    const users = {
      findById: async (tenantId: string, id: string) => (tenantId === 'tenant-a' && id === user.id ? user : null),
    } as unknown as UsersRepository;
    const recorded: IdentityEvent[] = [];
    const events: EventRecorder = { record: async (_m, list) => void recorded.push(...list) };
    return {
      handler: new EraseUserHandler(dataSource, users, new GdprRepository(dataSource), events),
      user,
      statements,
      recorded,
    };
  };

  it("deletes the user's credentials and factors and leaves a pseudonymous, deleted row", async () => {
    const { handler, user, statements, recorded } = setUp();
    await handler.execute(new EraseUserCommand('tenant-a', 'u-ada', 'u-ada'));
    for (const table of [
      'mfa_factors',
      'recovery_codes',
      'passkeys',
      'password_history',
      'email_tokens',
      'user_roles',
    ]) {
      expect(statements).toContain(`DELETE FROM ${table} WHERE user_id = $1 [u-ada]`);
    }
    expect(user).toMatchObject({
      email: 'erased-u-ada@erased.invalid',
      username: null,
      profile: {},
      passwordHash: null,
      status: 'deleted',
    });
    expect(user.deletedAt).toBeInstanceOf(Date);
    expect(JSON.stringify(user)).not.toMatch(/Lovelace|ada@example/);
    expect(recorded).toEqual([
      expect.objectContaining({
        type: EventTypes.userDeleted,
        data: { userId: 'u-ada', erased: true, actor: 'u-ada' },
      }),
    ]);
  });

  it("does not find another tenant's user", async () => {
    const { handler, statements } = setUp();
    await expect(handler.execute(new EraseUserCommand('tenant-b', 'u-ada', 'admin'))).rejects.toMatchObject({
      code: IdentityErrorCode.UserNotFound,
    });
    expect(statements).toEqual([]);
  });
});
