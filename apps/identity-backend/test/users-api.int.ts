import { useIdentityApi, useTenant } from './identity-api.harness';

describe('users API (real service, Postgres, Kafka)', () => {
  const api = useIdentityApi('identity_users');
  const tenant = useTenant(api, 'users-api');

  const createUser = (body: Record<string, unknown>) => api.call('POST', '/api/v1/users', tenant.admin, body);

  describe('authentication', () => {
    it('rejects a request without a token with 401 and WWW-Authenticate', async () => {
      const res = await api.call('GET', '/api/v1/users');
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });

    it('rejects a token for another audience', async () => {
      const token = await api.tenantToken(tenant.id, {
        sub: 'x',
        client_id: 'x',
        aud: 'urn:other-api',
        permissions: ['users:read'],
      });
      expect((await api.call('GET', '/api/v1/users', token)).status).toBe(401);
    });

    it('rejects a token without the permission or scope with 403 insufficient_scope', async () => {
      const token = await api.tenantToken(tenant.id, { sub: 'reader', client_id: 'app', scope: 'openid' });
      const res = await api.call('GET', '/api/v1/users', token);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('insufficient_scope');
    });

    it('accepts a client-credentials token by scope', async () => {
      const token = await api.tenantToken(tenant.id, { sub: 'svc', client_id: 'svc', scope: 'identity.users.read' });
      expect((await api.call('GET', '/api/v1/users', token)).status).toBe(200);
    });
  });

  describe('create and read', () => {
    it('creates a user (201) without echoing secrets, and reads it back', async () => {
      const res = await createUser({
        email: 'Grace.Hopper@Example.com',
        password: 'a long and unusual passphrase',
        profile: { name: 'Grace Hopper', locale: 'en-US' },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        email: 'Grace.Hopper@Example.com',
        emailVerified: false,
        status: 'active',
        hasPassword: true,
        profile: { name: 'Grace Hopper' },
      });
      expect(JSON.stringify(res.body)).not.toMatch(/passphrase|bcrypt|passwordHash/);
      const read = await api.call('GET', `/api/v1/users/${res.body.id}`, tenant.admin);
      expect(read.status).toBe(200);
      expect(read.body.id).toBe(res.body.id);
    });

    it('answers 409 email_taken for the same address in another case or Unicode form', async () => {
      await createUser({ email: 'kate@example.com', password: 'a long and unusual passphrase' });
      for (const lookalike of ['KATE@example.com', '\u212Aate@example.com', 'ｋａｔｅ@example.com']) {
        const res = await createUser({ email: lookalike, password: 'a long and unusual passphrase' });
        expect({ lookalike, status: res.status, code: res.body.error?.code }).toEqual({
          lookalike,
          status: 409,
          code: 'email_taken',
        });
      }
    });

    it('accepts a 100-character password and rejects short and common ones with the rule named', async () => {
      expect((await createUser({ email: 'long@example.com', password: 'p'.repeat(60) + 'q'.repeat(40) })).status).toBe(
        201,
      );
      const short = await createUser({ email: 'brief@example.com', password: 'q7!vZw9' });
      expect(short.status).toBe(422);
      expect(short.body.error).toMatchObject({ code: 'weak_password', details: { violations: ['too_short'] } });
      const common = await createUser({ email: 'common@example.com', password: 'password1234' });
      expect(common.body.error.details.violations).toContain('common_password');
    });

    it('writes nothing when a create fails', async () => {
      await createUser({ email: 'half@example.com', password: 'short' });
      const list = await api.call('GET', '/api/v1/users?email=half%40', tenant.admin);
      expect(list.body.items).toEqual([]);
    });
  });

  describe('bad input gets a coded 4xx, never a 500', () => {
    it.each([
      ['malformed email', { email: 'not-an-email', password: 'a long and unusual passphrase' }, 400, 'invalid_email'],
      ['unknown field', { email: 'u1@example.com', isAdmin: true }, 400, 'validation_failed'],
      ['wrong type', { email: 12345 }, 400, 'validation_failed'],
      [
        'invalid profile claim',
        { email: 'u2@example.com', profile: { locale: 'not a locale!' } },
        400,
        'validation_failed',
      ],
      [
        'oversized attributes',
        { email: 'u3@example.com', attributes: { blob: 'x'.repeat(20_000) } },
        413,
        'attributes_too_large',
      ],
    ])('%s', async (_name, body, status, code) => {
      const res = await createUser(body);
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
    });

    it('rejects a 1 MB body with 413', async () => {
      const res = await createUser({ email: 'big@example.com', password: 'x'.repeat(1024 * 1024) });
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
    });

    it('treats SQL metacharacters and LIKE wildcards in search as literal text', async () => {
      await createUser({ email: 'under_score@example.com' });
      await createUser({ email: 'underXscore@example.com' });
      for (const q of ["' OR 1=1 --", '%', '_', '\\', "'; DROP TABLE users; --"]) {
        const res = await api.call('GET', `/api/v1/users?email=${encodeURIComponent(q)}`, tenant.admin);
        expect({ q, status: res.status, items: res.body.items }).toEqual({ q, status: 200, items: [] });
      }
      const literal = await api.call('GET', '/api/v1/users?email=under_', tenant.admin);
      expect(literal.body.items.map((u: { email: string }) => u.email)).toEqual(['under_score@example.com']);
    });

    it('rejects an invalid cursor, limit or sort', async () => {
      expect((await api.call('GET', '/api/v1/users?cursor=garbage', tenant.admin)).body.error.code).toBe(
        'invalid_cursor',
      );
      expect((await api.call('GET', '/api/v1/users?limit=100000', tenant.admin)).status).toBe(400);
      expect((await api.call('GET', '/api/v1/users?sort=password_hash', tenant.admin)).status).toBe(400);
      expect((await api.call('GET', '/api/v1/users/not-a-uuid', tenant.admin)).status).toBe(400);
    });
  });

  describe('listing', () => {
    it('pages through users with a cursor, without gaps or repeats', async () => {
      const t = await api.createTenant('paging');
      const token = await api.tenantAdminToken(t.id);
      for (let i = 0; i < 7; i++) {
        await api.call('POST', '/api/v1/users', token, { email: `page${i}@example.com` });
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await api.call(
          'GET',
          `/api/v1/users?limit=3&sort=email${cursor ? `&cursor=${cursor}` : ''}`,
          token,
        );
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((u: { email: string }) => u.email));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `page${i}@example.com`));
    });

    it('pages by creation time in both orders, each user once, when several share a millisecond', async () => {
      const t = await api.createTenant('created-paging');
      const token = await api.tenantAdminToken(t.id);
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        ids.push((await api.call('POST', '/api/v1/users', token, { email: `created${i}@example.com` })).body.id);
      }
      // Postgres keeps microseconds, a JavaScript Date (and so the cursor) milliseconds: five users in
      // one millisecond, microseconds apart, between one just before it and one just after.
      const createdAt = [
        '2026-01-01T00:00:00.122999Z',
        '2026-01-01T00:00:00.123400Z',
        '2026-01-01T00:00:00.123100Z',
        '2026-01-01T00:00:00.123999Z',
        '2026-01-01T00:00:00.123000Z',
        '2026-01-01T00:00:00.123250Z',
        '2026-01-01T00:00:00.124001Z',
      ];
      for (const [i, id] of ids.entries()) {
        await api.sql('UPDATE users SET created_at = $1 WHERE id = $2', [createdAt[i], id]);
      }
      const pages = async (sort: string, limit: number) => {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const res = await api.call(
            'GET',
            `/api/v1/users?limit=${limit}&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`,
            token,
          );
          expect(res.status).toBe(200);
          seen.push(...res.body.items.map((u: { id: string }) => u.id));
          cursor = res.body.nextCursor;
        } while (cursor && seen.length <= 2 * ids.length);
        return seen;
      };
      for (const limit of [1, 2]) {
        const ascending = await pages('createdAt', limit);
        const descending = await pages('-createdAt', limit);
        expect({ limit, ascending: [...ascending].sort() }).toEqual({ limit, ascending: [...ids].sort() });
        expect({ limit, descending: [...descending].sort() }).toEqual({ limit, descending: [...ids].sort() });
        expect(descending).toEqual([...ascending].reverse());
        expect(ascending[0]).toBe(ids[0]);
        expect(ascending.at(-1)).toBe(ids[6]);
      }
    });

    it('filters by status and email prefix', async () => {
      const created = await createUser({ email: 'filter-me@example.com' });
      await api.call('POST', `/api/v1/users/${created.body.id}/disable`, tenant.admin, { reason: 'test' });
      const disabled = await api.call('GET', '/api/v1/users?status=disabled&email=filter-', tenant.admin);
      expect(disabled.body.items.map((u: { id: string }) => u.id)).toEqual([created.body.id]);
    });
  });

  describe('lifecycle', () => {
    it('moves through lock, unlock, disable, enable and delete with reasons, refusing invalid transitions', async () => {
      const { body: user } = await createUser({ email: 'lifecycle@example.com' });
      const act = (action: string) =>
        api.call('POST', `/api/v1/users/${user.id}/${action}`, tenant.admin, { reason: `because ${action}` });
      expect((await act('lock')).body).toMatchObject({ status: 'locked', statusReason: 'because lock' });
      expect((await act('lock')).body.error.code).toBe('invalid_status_transition');
      expect((await act('unlock')).body.status).toBe('active');
      expect((await act('disable')).body.status).toBe('disabled');
      expect((await act('enable')).body.status).toBe('active');
      expect(
        (await api.call('DELETE', `/api/v1/users/${user.id}`, tenant.admin, { reason: 'gdpr request' })).status,
      ).toBe(204);
      expect((await api.call('GET', `/api/v1/users/${user.id}`, tenant.admin)).body.status).toBe('deleted');
      expect((await act('enable')).status).toBe(404);
    });
  });

  describe('self-registration', () => {
    it('answers the same for a new and an already registered address', async () => {
      const register = (email: string) =>
        api.call('POST', '/api/v1/registrations', undefined, {
          tenant: 'users-api',
          email,
          password: 'a long and unusual passphrase',
        });
      const fresh = await register('newcomer@example.com');
      const again = await register('newcomer@example.com');
      expect(fresh.status).toBe(202);
      expect(again.status).toBe(202);
      expect(again.body).toEqual(fresh.body);
    });

    it('still enforces the password policy', async () => {
      const res = await api.call('POST', '/api/v1/registrations', undefined, {
        tenant: 'users-api',
        email: 'weak@example.com',
        password: 'short',
      });
      expect(res.status).toBe(422);
    });
  });
});
