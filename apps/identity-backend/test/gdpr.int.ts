import { totpCode } from '../src/mfa/totp';
import { useIdentityApi, useTenant } from './identity-api.harness';

describe('GDPR export and erasure', () => {
  const api = useIdentityApi('identity_gdpr');
  const tenant = useTenant(api, 'gdpr');

  async function richUser(email: string) {
    const user = (
      await api.call('POST', '/api/v1/users', tenant.admin, {
        email,
        password: 'a long and unusual passphrase',
        profile: { name: 'Erin Example', phone_number: '+441234567890' },
        attributes: { loyalty: 'gold' },
      })
    ).body;
    const role = (
      await api.call('POST', '/api/v1/roles', tenant.admin, {
        name: `role-${email.split('@')[0]}`,
        permissions: ['a:b'],
      })
    ).body;
    await api.call('POST', `/api/v1/users/${user.id}/roles`, tenant.admin, { roleIds: [role.id] });
    const token = await api.userToken(user.id, tenant.id);
    const { secret } = (await api.call('POST', '/api/v1/me/mfa/totp', token)).body;
    await api.call('POST', '/api/v1/me/mfa/totp/confirm', token, { code: totpCode(secret) });
    return { user, token, secret };
  }

  it('exports everything held about a user, to the user and to an administrator, without secrets', async () => {
    const { user, token, secret } = await richUser('export@example.com');
    const mine = await api.call('GET', '/api/v1/me/export', token);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({
      account: {
        id: user.id,
        email: 'export@example.com',
        profile: { name: 'Erin Example' },
        attributes: { loyalty: 'gold' },
      },
      roles: [{ name: 'role-export', permissions: ['a:b'] }],
      mfa: { totpEnrolled: true, recoveryCodesLeft: 10 },
    });
    expect(mine.body.auditTrail.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining([
        'identity.user.created.v1',
        'identity.user.roles_changed.v1',
        'identity.user.mfa_enabled.v1',
      ]),
    );
    const text = JSON.stringify(mine.body);
    expect(text).not.toContain(secret);
    expect(text).not.toMatch(/bcrypt|password_hash|passwordHash|secret_sealed/);
    expect((await api.call('GET', `/api/v1/users/${user.id}/export`, tenant.admin)).body.account.id).toBe(user.id);
  });

  it('erases personal data and credentials, keeping a pseudonymous row', async () => {
    const { user } = await richUser('erase@example.com');
    expect((await api.call('POST', `/api/v1/users/${user.id}/erase`, tenant.admin)).status).toBe(204);

    const after = (await api.call('GET', `/api/v1/users/${user.id}`, tenant.admin)).body;
    expect(after).toMatchObject({
      status: 'deleted',
      email: `erased-${user.id}@erased.invalid`,
      profile: {},
      attributes: {},
      hasPassword: false,
    });
    for (const table of ['mfa_factors', 'recovery_codes', 'password_history', 'user_roles']) {
      const rows = await api.sql(`SELECT count(*)::int AS n FROM ${table} WHERE user_id = $1`, [user.id]);
      expect({ table, n: rows[0].n }).toEqual({ table, n: 0 });
    }
    const rows = await api.sql('SELECT count(*)::int AS n FROM users WHERE email_canonical = $1', [
      'erase@example.com',
    ]);
    expect(rows[0].n).toBe(0);
    // The address is free again.
    expect((await api.call('POST', '/api/v1/users', tenant.admin, { email: 'erase@example.com' })).status).toBe(201);
  });
});
