import { startIdentityApi, type IdentityApi } from './identity-api.harness';

const PASSWORD = 'one population, two password schemes';
const ARGON2_SMALL = /^\$argon2id\$v=19\$m=1024,t=1,p=1\$/;

/**
 * Moving the password hash from bcrypt to argon2id (issue 18): a directory holds users of both
 * schemes at once. All of them sign in; a bcrypt user's hash is replaced by an argon2id one at
 * their first successful sign-in (never on a failed one), and an argon2id hash made with other
 * parameters than today's is re-hashed the same way.
 */
describe('mixed bcrypt and argon2id users', () => {
  let api: IdentityApi;
  let admin: string;
  let tenantId: string;

  const restart = async (env: Record<string, string>) => {
    await api.stop({ keepDatabase: true });
    api = await startIdentityApi('identity_hash_upgrade', env, api.db);
    // A new test issuer signs with new keys.
    admin = await api.tenantAdminToken(tenantId);
  };
  const verify = (login: string, password = PASSWORD) =>
    api.call('POST', '/internal/v1/credentials/verify', api.internalToken, {
      tenant: 'mixed',
      login,
      password,
      clientIp: '127.0.0.1',
    });
  const hashOf = async (userId: string): Promise<string> =>
    (await api.sql('SELECT password_hash FROM users WHERE id = $1', [userId]))[0].password_hash;
  const newUser = async (email: string): Promise<{ id: string }> => {
    const res = await api.call('POST', '/api/v1/users', admin, { email, password: PASSWORD });
    if (res.status !== 201) throw new Error(`user ${email}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  beforeAll(async () => {
    // The directory as it was: bcrypt only.
    api = await startIdentityApi('identity_hash_upgrade', { PASSWORD_HASH_ALGORITHM: 'bcrypt' });
    tenantId = (await api.createTenant('mixed')).id;
    admin = await api.tenantAdminToken(tenantId);
  });

  afterAll(() => api?.stop());

  it('bcrypt and argon2id users both sign in; bcrypt hashes become argon2id at the next successful sign-in', async () => {
    const legacy = await newUser('legacy@mixed.example');
    const untouched = await newUser('untouched@mixed.example');
    expect(await hashOf(legacy.id)).toMatch(/^bcrypt-hmac-sha256\$\$2[aby]\$04\$/);

    await restart({}); // today's default: argon2id
    const modern = await newUser('modern@mixed.example');
    expect(await hashOf(modern.id)).toMatch(ARGON2_SMALL);

    // A wrong password proves nothing: the old hash stays.
    expect((await verify('legacy@mixed.example', 'not the password at all')).status).toBe(401);
    expect(await hashOf(legacy.id)).toMatch(/^bcrypt-hmac-sha256\$/);

    expect((await verify('legacy@mixed.example')).status).toBe(200);
    expect(await hashOf(legacy.id)).toMatch(ARGON2_SMALL);
    expect((await verify('legacy@mixed.example')).status).toBe(200);

    const modernHash = await hashOf(modern.id);
    expect((await verify('modern@mixed.example')).status).toBe(200);
    expect(await hashOf(modern.id)).toBe(modernHash);

    // A bcrypt user who has not signed in since still can, whatever the order.
    expect(await hashOf(untouched.id)).toMatch(/^bcrypt-hmac-sha256\$/);
    expect((await verify('untouched@mixed.example', 'wrong again, still wrong')).status).toBe(401);
  });

  it('argon2id hashes made with other parameters are re-hashed at sign-in', async () => {
    const user = await newUser('params@mixed.example');
    expect(await hashOf(user.id)).toMatch(ARGON2_SMALL);
    await restart({ ARGON2_MEMORY_KIB: '2048' });
    expect((await verify('params@mixed.example')).status).toBe(200);
    expect(await hashOf(user.id)).toMatch(/^\$argon2id\$v=19\$m=2048,t=1,p=1\$/);
    // And the untouched bcrypt user of the first case signs in under this policy too.
    expect((await verify('untouched@mixed.example')).status).toBe(200);
  });
});
