import type { CommandBus } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { IdentityErrorCode } from '../../common/identity-error';
import { SetPasswordCommand } from '../../credentials/commands/set-password.command';
import type { LockoutService } from '../../credentials/lockout.service';
import { VerifyMfaCommand } from '../../mfa/commands/verify-mfa.command';
import type { MfaFactors } from '../../mfa/mfa-factors';
import { ChangeUserStatusCommand } from '../../users/commands/change-user-status.command';
import type { User } from '../../users/user.entity';
import type { UsersRepository } from '../../users/users.repository';
import type { EmailTokens } from '../email-tokens';
import { backgroundWork, mailRequestWorld, TENANT } from './email-flows.spec-helper';
import {
  RequestPasswordResetCommand,
  RequestPasswordResetHandler,
  ResetPasswordCommand,
  ResetPasswordHandler,
} from './password-reset.commands';

describe('password reset', () => {
  it('answers every request alike after counting it, and mails only an active account', async () => {
    for (const [status, mails] of [
      ['active', 1],
      ['disabled', 0],
    ] as const) {
      const world = mailRequestWorld({ status });
      const handler = new RequestPasswordResetHandler(world.users, world.tenants, world.mail, world.mailLimits);
      await handler.execute(new RequestPasswordResetCommand('acme', 'ada@example.com', '192.0.2.1'));
      await handler.execute(new RequestPasswordResetCommand('acme', 'nobody@example.com', '192.0.2.1'));
      await backgroundWork();
      expect(world.limited).toHaveLength(2);
      expect(world.queued).toHaveLength(mails);
    }
  });

  const resetWorld = (options: { mfa?: boolean; locked?: boolean } = {}) => {
    const user = { id: 'u-ada', tenantId: TENANT.id } as User;
    const users = { findByIdInAnyTenant: async (id: string) => (id === user.id ? user : null) };
    const redeemed: string[] = [];
    const tokens = {
      peek: async () => 'u-ada',
      redeem: async (_m: unknown, token: string) => void redeemed.push(token),
    } as unknown as EmailTokens;
    const mfa = { methodsOf: async () => (options.mfa ? ['totp'] : []) } as unknown as MfaFactors;
    const lockout = { isLocked: () => options.locked ?? false } as unknown as LockoutService;
    const executed: unknown[] = [];
    const commands = {
      execute: async (command: unknown) => {
        executed.push(command);
        if (command instanceof SetPasswordCommand) await command.change.alongside?.({} as EntityManager);
      },
    } as unknown as CommandBus;
    const handler = new ResetPasswordHandler(tokens, users as unknown as UsersRepository, mfa, lockout, commands);
    return { handler, executed, redeemed };
  };

  it('sets the new password and spends the link in the same transaction', async () => {
    const { handler, executed, redeemed } = resetWorld();
    await handler.execute(new ResetPasswordCommand('link', 'a long and unusual passphrase'));
    expect(executed).toEqual([expect.any(SetPasswordCommand)]);
    expect((executed[0] as SetPasswordCommand).change).toMatchObject({
      tenantId: TENANT.id,
      userId: 'u-ada',
      newPassword: 'a long and unusual passphrase',
      actor: 'u-ada',
    });
    expect(redeemed).toEqual(['link']);
  });

  it('never bypasses a second factor: without it the link is kept, with it the factor is verified first', async () => {
    const without = resetWorld({ mfa: true });
    await expect(
      without.handler.execute(new ResetPasswordCommand('link', 'new passphrase here')),
    ).rejects.toMatchObject({
      code: IdentityErrorCode.MfaRequired,
    });
    expect(without.redeemed).toEqual([]);
    const withCode = resetWorld({ mfa: true });
    await withCode.handler.execute(
      new ResetPasswordCommand('link', 'new passphrase here', { method: 'totp', code: '123456' }),
    );
    expect(withCode.executed.map((c) => (c as object).constructor)).toEqual([VerifyMfaCommand, SetPasswordCommand]);
  });

  it('lifts a lock that failed sign-ins imposed (the locked-account mail carries such a link)', async () => {
    const { handler, executed } = resetWorld({ locked: true });
    await handler.execute(new ResetPasswordCommand('link', 'a long and unusual passphrase'));
    expect(executed[0]).toEqual(
      new ChangeUserStatusCommand(TENANT.id, 'u-ada', 'unlock', 'password_reset_link', 'u-ada'),
    );
    expect(executed[1]).toBeInstanceOf(SetPasswordCommand);
  });
});
