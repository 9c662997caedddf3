import { useIdentityApi, useTenant } from './identity-api.harness';

const FIRST = 'first long passphrase here';

describe('password change, history and administrator reset', () => {
  const api = useIdentityApi('identity_password');
  const tenant = useTenant(api, 'passwords', { passwordPolicy: { minLength: 12, historySize: 3 } });

  async function userWithToken(email: string) {
    const user = (await api.call('POST', '/api/v1/users', tenant.admin, { email, password: FIRST })).body;
    const token = await api.userToken(user.id, tenant.id);
    return { user, token };
  }

  const signIn = (login: string, password: string) =>
    api.call('POST', '/internal/v1/credentials/verify', api.internalToken, {
      tenant: 'passwords',
      login,
      password,
      clientIp: '203.0.113.9',
    });
  const change = (token: string, currentPassword: string, newPassword: string) =>
    api.call('POST', '/api/v1/me/password', token, { currentPassword, newPassword });

  it('changes the password when the current one is right', async () => {
    const { token } = await userWithToken('change@example.com');
    expect((await change(token, FIRST, 'second long passphrase')).status).toBe(204);
    expect((await signIn('change@example.com', FIRST)).status).toBe(401);
    expect((await signIn('change@example.com', 'second long passphrase')).status).toBe(200);
  });

  it('the same change sent twice (its first answer lost) succeeds twice and changes the password once', async () => {
    const { user, token } = await userWithToken('retried@example.com');
    const internalChange = () =>
      api.call('POST', `/internal/v1/users/${user.id}/password`, api.internalToken, {
        tenantId: tenant.id,
        currentPassword: FIRST,
        newPassword: 'one passphrase sent twice',
      });
    expect((await internalChange()).status).toBe(204);
    expect((await internalChange()).status).toBe(204);
    expect((await signIn('retried@example.com', 'one passphrase sent twice')).status).toBe(200);
    // Once: the history holds the first password only, so going back to it is refused as reuse.
    const back = await change(token, 'one passphrase sent twice', FIRST);
    expect([back.status, back.body.error.code]).toEqual([422, 'password_reused']);
    // Not a way around the current password: another new password with the old current one is refused.
    const other = await api.call('POST', `/internal/v1/users/${user.id}/password`, api.internalToken, {
      tenantId: tenant.id,
      currentPassword: FIRST,
      newPassword: 'a third passphrase here',
    });
    expect([other.status, other.body.error.code]).toEqual([401, 'invalid_credentials']);
  });

  it('refuses a wrong current password', async () => {
    const { token } = await userWithToken('wrongcurrent@example.com');
    const res = await change(token, 'not my password', 'second long passphrase');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_credentials');
  });

  it('refuses the last N passwords (history) but allows an older one', async () => {
    const { token } = await userWithToken('history@example.com');
    const passwords = [FIRST, 'second long passphrase', 'third long passphrase'];
    await change(token, passwords[0]!, passwords[1]!);
    await change(token, passwords[1]!, passwords[2]!);
    for (const reused of passwords) {
      const res = await change(token, passwords[2]!, reused);
      expect({ reused, code: res.body.error?.code }).toEqual({ reused, code: 'password_reused' });
    }
    await change(token, passwords[2]!, 'fourth long passphrase');
    // FIRST is now 4 passwords back: outside a history of 3.
    expect((await change(token, 'fourth long passphrase', FIRST)).status).toBe(204);
  });

  it('applies the policy to the new password', async () => {
    const { token } = await userWithToken('policy@example.com');
    const res = await change(token, FIRST, 'short');
    expect(res.status).toBe(422);
    expect(res.body.error.details.violations).toContain('too_short');
  });

  it('lets an administrator set a temporary password that must be changed at next sign-in', async () => {
    const { user } = await userWithToken('temporary@example.com');
    expect(
      (
        await api.call('POST', `/api/v1/users/${user.id}/password`, tenant.admin, {
          password: 'issued by the helpdesk today',
        })
      ).status,
    ).toBe(204);
    const signedIn = await signIn('temporary@example.com', 'issued by the helpdesk today');
    expect(signedIn.body.mustChangePassword).toBe(true);
  });
});
