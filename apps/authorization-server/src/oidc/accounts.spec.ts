import type { IdentityInternalClient } from '@platform/contracts';
import { accountFinder, CLAIMS_BY_SCOPE, releasedClaims } from './accounts';

describe('releasedClaims (tenant_id in ID tokens and userinfo)', () => {
  const claims = { sub: 'u1', email: 'ada@example.com', tenant_id: 't1' };

  it('releases the tenant to a tenant-bound client', () => {
    expect(releasedClaims(claims, true, undefined)).toEqual(claims);
  });

  it('keeps it from other clients unless the claims parameter asks for it', () => {
    expect(releasedClaims(claims, false, undefined)).toEqual({ sub: 'u1', email: 'ada@example.com' });
    expect(releasedClaims(claims, false, { id_token: { tenant_id: null } })).toEqual(claims);
    expect(releasedClaims(claims, false, { userinfo: { tenant_id: { essential: true } } })).toEqual(claims);
  });
});

describe('accountFinder: act in the ID token of an impersonated session', () => {
  const identity = {
    userClaims: async (sub: string) => ({ sub, tenant_id: 't1', email: 'ada@example.com' }),
  } as unknown as IdentityInternalClient;
  const act = { sub: 'admin-1', tenant_id: 't1' };
  const impersonation = {
    claims: jest.fn(async (sessionUid: string | undefined) => (sessionUid === 'imp-session' ? { act } : {})),
  };
  const findAccount = accountFinder(
    identity,
    (message) => new Error(message),
    async () => ({}),
    async () => 't1',
    impersonation,
  );
  const ctx = { oidc: { client: { clientId: 'app' } } };
  const idTokenClaims = async (token?: { sessionUid?: string }) =>
    (await findAccount(ctx, 'u-ada', token))!.claims('id_token', 'openid', {}, []);

  it('names the administrator (act) in the ID token of a code from an impersonated session', async () => {
    await expect(idTokenClaims({ sessionUid: 'imp-session' })).resolves.toMatchObject({ sub: 'u-ada', act });
  });

  it('adds nothing to other sessions, to userinfo, or without a token', async () => {
    expect(await idTokenClaims({ sessionUid: 'own-session' })).not.toHaveProperty('act');
    expect(await idTokenClaims()).not.toHaveProperty('act');
    const account = await findAccount(ctx, 'u-ada', { sessionUid: 'imp-session' });
    expect(await account!.claims('userinfo', 'openid', {}, [])).not.toHaveProperty('act');
  });

  it('is released under the openid scope (the provider filters ID token claims by scope)', () => {
    expect(CLAIMS_BY_SCOPE.openid).toContain('act');
  });
});
