import { startIdentityApi, startIdentityApiWithTenant, type IdentityApi, useIdentityApi } from './identity-api.harness';

const PASSWORD = 'a long and unusual passphrase';

describe('internal credential verification (lockout, throttling, enumeration resistance)', () => {
  let api: IdentityApi;
  let tenant: { id: string; slug: string };
  let admin: string;

  beforeAll(async () => {
    ({ api, tenant, admin } = await startIdentityApiWithTenant('identity_login', 'login', {
      settings: {
        lockoutPolicy: { maxFailedAttempts: 3, lockSeconds: 60, maxLockSeconds: 90 },
      },
      env: { LOGIN_IP_MAX_FAILURES: '40' },
    }));
  });
  afterAll(() => api?.stop());

  let ipCounter = 1;
  const freshIp = () => `10.0.${Math.floor(ipCounter / 250)}.${ipCounter++ % 250}`;
  const verify = (login: string, password: string, clientIp = freshIp(), token = api.internalToken) =>
    api.call('POST', '/internal/v1/credentials/verify', token, { tenant: 'login', login, password, clientIp });
  /** Moves the stored end of the lock into the past: the expiry is tested without waiting it out. */
  const expireLock = (userId: string) =>
    api.sql(`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = $1`, [userId]);
  const newUser = async (email: string, extra: Record<string, unknown> = {}) =>
    (await api.call('POST', '/api/v1/users', admin, { email, password: PASSWORD, ...extra })).body;

  it('accepts the right password by email or username and says what the sign-in needs', async () => {
    const user = await newUser('signin@example.com', { username: 'signin-user' });
    const byEmail = await verify('SignIn@Example.com', PASSWORD);
    expect(byEmail.status).toBe(200);
    expect(byEmail.body).toEqual({
      userId: user.id,
      tenantId: tenant.id,
      status: 'active',
      mfaRequired: false,
      mfaMethods: [],
      amr: ['pwd'],
      mustChangePassword: false,
    });
    expect((await verify('signin-user', PASSWORD)).body.userId).toBe(user.id);
  });

  it('is only for the authorization server: other tokens are refused', async () => {
    expect((await verify('signin@example.com', PASSWORD, freshIp(), admin)).status).toBe(403);
    expect((await verify('signin@example.com', PASSWORD, freshIp(), 'not-a-token')).status).toBe(401);
  });

  it('fails identically for unknown user, wrong password, disabled and deleted accounts', async () => {
    await newUser('wrong@example.com');
    const disabled = await newUser('disabled@example.com');
    await api.call('POST', `/api/v1/users/${disabled.id}/disable`, admin, {});
    const deleted = await newUser('deleted@example.com');
    await api.call('DELETE', `/api/v1/users/${deleted.id}`, admin, {});

    const answers = await Promise.all([
      verify('nobody@example.com', PASSWORD),
      verify('wrong@example.com', 'not the passphrase at all'),
      verify('disabled@example.com', PASSWORD),
      verify('deleted@example.com', PASSWORD),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.body.error).toEqual({
        code: 'invalid_credentials',
        message: 'Invalid credentials',
        requestId: expect.any(String),
      });
    }
  });

  it('locks after the policy number of failures, refuses even the right password while locked, and lets the lock expire', async () => {
    const user = await newUser('victim@example.com');
    for (let i = 0; i < 3; i++) expect((await verify('victim@example.com', 'guess number ' + i)).status).toBe(401);
    const locked = await api.call('GET', `/api/v1/users/${user.id}`, admin);
    expect(locked.body.lockedUntil).not.toBeNull();
    expect((await verify('victim@example.com', PASSWORD)).status).toBe(401);

    // An attacker hammering during the lock does not extend it.
    for (let i = 0; i < 5; i++) await verify('victim@example.com', 'more guesses ' + i);
    const still = await api.call('GET', `/api/v1/users/${user.id}`, admin);
    expect(still.body.lockedUntil).toBe(locked.body.lockedUntil);

    await expireLock(user.id);
    expect((await verify('victim@example.com', PASSWORD)).status).toBe(200);
  });

  it('doubles the lock for a repeat offender, capped by maxLockSeconds', async () => {
    const user = await newUser('repeat@example.com');
    const lockFor = async () => {
      for (let i = 0; i < 3; i++) await verify('repeat@example.com', 'wrong ' + i);
      const { body } = await api.call('GET', `/api/v1/users/${user.id}`, admin);
      return new Date(body.lockedUntil).getTime() - Date.now();
    };
    // Locks measured in tens of seconds, so slow requests on a busy machine cannot eat into them.
    const first = await lockFor();
    expect(first).toBeGreaterThan(30_000);
    expect(first).toBeLessThanOrEqual(60_100);
    await expireLock(user.id);
    const second = await lockFor();
    expect(second).toBeGreaterThan(60_100); // 60 s doubled, capped at 90 s
    expect(second).toBeLessThanOrEqual(90_100);
  });

  it('lets an administrator lift a temporary lock', async () => {
    const user = await newUser('unlockme@example.com');
    for (let i = 0; i < 3; i++) await verify('unlockme@example.com', 'wrong ' + i);
    expect((await verify('unlockme@example.com', PASSWORD)).status).toBe(401);
    const unlocked = await api.call('POST', `/api/v1/users/${user.id}/unlock`, admin, { reason: 'called support' });
    expect(unlocked.body.lockedUntil).toBeNull();
    expect((await verify('unlockme@example.com', PASSWORD)).status).toBe(200);
  });

  it('throttles one IP that fails too often, without affecting others', async () => {
    const ip = '192.0.2.77';
    for (let i = 0; i < 40; i++) await verify(`spray${i}@example.com`, 'password spraying', ip);
    const blocked = await verify('signin@example.com', PASSWORD, ip);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('too_many_attempts');
    expect((await verify('signin@example.com', PASSWORD, '192.0.2.78')).status).toBe(200);
  });

  it('flags an admin-issued temporary password', async () => {
    await newUser('temp@example.com', { temporaryPassword: true });
    expect((await verify('temp@example.com', PASSWORD)).body.mustChangePassword).toBe(true);
  });

  it('re-hashes the password at sign-in when the configured scheme or cost changed', async () => {
    const user = await newUser('rehash@example.com');
    await api.stop({ keepDatabase: true });
    api = await startIdentityApi(
      'identity_login',
      { PASSWORD_HASH_ALGORITHM: 'bcrypt', BCRYPT_COST: '5', LOGIN_IP_MAX_FAILURES: '40' },
      api.db,
    );
    const hashOf = async () =>
      (await api.sql('SELECT password_hash FROM users WHERE id = $1', [user.id]))[0].password_hash as string;
    expect(await hashOf()).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect((await verify('rehash@example.com', PASSWORD)).status).toBe(200);
    expect(await hashOf()).toMatch(/^bcrypt-hmac-sha256\$\$2[aby]\$05\$/);
  });
});

describe('credential verification timing', () => {
  // A realistic cost, so that skipping bcrypt on some path would stand out.
  const api = useIdentityApi('identity_timing', {
    BCRYPT_COST: '10',
    ARGON2_MEMORY_KIB: '19456',
    ARGON2_ITERATIONS: '2',
  });

  beforeAll(async () => {
    const tenant = await api.createTenant('timing');
    const admin = await api.tenantAdminToken(tenant.id);
    await api.call('POST', '/api/v1/users', admin, { email: 'known@example.com', password: PASSWORD });
    const disabled = (await api.call('POST', '/api/v1/users', admin, { email: 'off@example.com', password: PASSWORD }))
      .body;
    await api.call('POST', `/api/v1/users/${disabled.id}/disable`, admin, {});
  });

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

  it('takes comparable time for an unknown user, a wrong password and a disabled account', async () => {
    const cases = {
      wrongPassword: ['known@example.com', 'definitely not it'],
      unknownUser: ['ghost@example.com', 'definitely not it'],
      disabledAccount: ['off@example.com', PASSWORD],
    } as const;
    const samples: Record<keyof typeof cases, number[]> = { wrongPassword: [], unknownUser: [], disabledAccount: [] };
    // Round-robin, so load from other test workers hits every case alike; each case is compared
    // with the wrong-password sample of its own round (the median of those paired ratios), so a
    // burst of load elsewhere on the machine weighs on both sides of a ratio, not on one median.
    for (let round = 0; round < 15; round++) {
      for (const [name, [login, password]] of Object.entries(cases) as [
        keyof typeof cases,
        readonly [string, string],
      ][]) {
        const started = performance.now();
        const res = await api.call('POST', '/internal/v1/credentials/verify', api.internalToken, {
          tenant: 'timing',
          login,
          password,
          clientIp: `198.51.100.${round + 1}`,
        });
        samples[name].push(performance.now() - started);
        expect(res.status).toBe(401);
      }
    }
    for (const name of ['unknownUser', 'disabledAccount'] as const) {
      const ratio = median(samples[name].map((ms, round) => ms / samples.wrongPassword[round]!));
      expect({ name, comparable: ratio > 0.5 && ratio < 2 }).toEqual({ name, comparable: true });
    }
  });
});

describe('internal user claims', () => {
  const api = useIdentityApi('identity_claims');

  it('returns scope-filtered standard claims with tenant, roles and permissions; 410 once disabled', async () => {
    const tenant = await api.createTenant('claims');
    const admin = await api.tenantAdminToken(tenant.id);
    const user = (
      await api.call('POST', '/api/v1/users', admin, {
        email: 'claims@example.com',
        profile: { name: 'Claire', locale: 'fr-FR' },
      })
    ).body;
    const role = (await api.call('POST', '/api/v1/roles', admin, { name: 'reader', permissions: ['docs:read'] })).body;
    await api.call('POST', `/api/v1/users/${user.id}/roles`, admin, { roleIds: [role.id] });

    const claims = await api.call(
      'GET',
      `/internal/v1/users/${user.id}/claims?scope=openid%20email`,
      api.internalToken,
    );
    expect(claims.body).toEqual({
      sub: user.id,
      tenant_id: tenant.id,
      roles: ['reader'],
      permissions: ['docs:read'],
      groups: [],
      email: 'claims@example.com',
      email_verified: false,
    });
    const withProfile = await api.call(
      'GET',
      `/internal/v1/users/${user.id}/claims?scope=openid%20profile`,
      api.internalToken,
    );
    expect(withProfile.body).toMatchObject({ name: 'Claire', locale: 'fr-FR' });
    expect(withProfile.body).not.toHaveProperty('email');

    expect((await api.call('GET', `/internal/v1/users/${user.id}/claims`, admin)).status).toBe(403);
    await api.call('POST', `/api/v1/users/${user.id}/disable`, admin, {});
    const gone = await api.call('GET', `/internal/v1/users/${user.id}/claims`, api.internalToken);
    expect(gone.status).toBe(410);
    expect(gone.body.error.code).toBe('user_inactive');
    const unknown = await api.call(
      'GET',
      '/internal/v1/users/00000000-0000-4000-8000-000000000000/claims',
      api.internalToken,
    );
    expect(unknown.status).toBe(404);
  });
});
