import { Browser } from '@platform/testing';
import * as oidc from 'openid-client';
import { usePlatform } from './support/platform';
import { authorizationRequest, REDIRECT, redeem, type RelyingParty, relyingParty } from './support/relying-party';
import { signIn } from './support/sign-in';

const PASSWORD = 'claims for my own scope';
const APP_SCOPE = 'urn:appidentity:user';

/** Seed 003: a custom scope releases an app-specific claim, for one client (or a tenant, or all). */
describe('custom scopes mapping to claims', () => {
  const platform = usePlatform('custom_scopes');
  let tenantId: string;
  let consumer: RelyingParty;
  let other: RelyingParty;

  beforeAll(async () => {
    tenantId = (await platform.createTenant('claims')).id;
    await platform.createUser(tenantId, 'john.doe@claims.example', PASSWORD);
    const registration = { type: 'confidential' as const, trusted: true, tenantId };
    consumer = await relyingParty(platform, { ...registration, name: 'Identity Consumer #1', scopes: ['openid'] });
    other = await relyingParty(platform, { ...registration, name: 'Another app', scopes: ['openid'] });
  });

  async function userinfo(rp: RelyingParty, scope: string) {
    const request = await authorizationRequest(rp, scope);
    const back = await signIn(new Browser(), request.url, REDIRECT, {
      login: 'john.doe@claims.example',
      password: PASSWORD,
    });
    const tokens = await redeem(rp, back.location!, request);
    return oidc.fetchUserInfo(rp.config, tokens.access_token, tokens.claims()!.sub);
  }

  it('releases the claim to the client it is mapped for, only when the scope is granted', async () => {
    const created = await platform.authzAdmin('POST', '/api/v1/custom-scopes', {
      scope: APP_SCOPE,
      claim: 'appidentity',
      source: ['email', 'roles', 'tenant_id'],
      clientId: consumer.clientId,
      description: 'username, email and roles for Code On Time apps',
    });
    expect(created.status).toBe(201);
    // Now a scope of this server, clients may be allowed it.
    for (const rp of [consumer, other]) {
      const allowed = await platform.authzAdmin('PATCH', `/api/v1/clients/${rp.clientId}`, {
        scopes: ['openid', APP_SCOPE],
      });
      expect(allowed.status).toBe(200);
    }
    const discovery = (await (await fetch(`${platform.issuer}/.well-known/openid-configuration`)).json()) as {
      scopes_supported: string[];
      claims_supported: string[];
    };
    expect(discovery.scopes_supported).toContain(APP_SCOPE);
    expect(discovery.claims_supported).toContain('appidentity');

    await expect(userinfo(consumer, `openid ${APP_SCOPE}`)).resolves.toMatchObject({
      appidentity: { email: 'john.doe@claims.example', roles: [], tenant_id: tenantId },
    });
    expect(await userinfo(consumer, 'openid')).not.toHaveProperty('appidentity');
    // Another client asking for the same scope gets nothing: the mapping is the first client's.
    expect(await userinfo(other, `openid ${APP_SCOPE}`)).not.toHaveProperty('appidentity');
  });

  it('refuses mappings that would shadow protocol claims or reuse taken scopes, with codes', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ scope: 'urn:x:one', claim: 'sub', source: 'email' }, 400, 'reserved_claim'],
      [{ scope: 'urn:x:two', claim: 'email', source: 'email' }, 400, 'reserved_claim'],
      [{ scope: 'profile', claim: 'fancy', source: 'email' }, 409, 'scope_taken'],
      [{ scope: 'identity.users.read', claim: 'fancy', source: 'email' }, 409, 'scope_taken'],
      [{ scope: APP_SCOPE, claim: 'different', source: 'email' }, 409, 'scope_taken'],
      [
        { scope: APP_SCOPE, claim: 'appidentity', source: 'email', clientId: consumer.clientId },
        409,
        'custom_scope_exists',
      ],
      [{ scope: 'urn:x:three', claim: 'ok', source: [] }, 400, 'validation_failed'],
      [{ scope: 'urn:x:four', claim: 'ok', source: 'email', clientId: 'nobody' }, 400, 'unknown_client'],
      [{ scope: 'bad scope', claim: 'ok', source: 'email' }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const res = await platform.authzAdmin('POST', '/api/v1/custom-scopes', body);
      expect({ body, status: res.status, code: res.body.error?.code }).toEqual({ body, status, code });
    }
    const listed = await platform.authzAdmin('GET', '/api/v1/custom-scopes');
    expect(listed.body.map((m: { scope: string }) => m.scope)).toEqual([APP_SCOPE]);
  });
});
