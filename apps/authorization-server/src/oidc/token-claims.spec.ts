import type { AccessToken, KoaContextWithOIDC } from 'oidc-provider';
import type { ResourceServer } from '../resource-servers/resource-server.entity';
import { delegate } from './grants/delegation';
import { accessTokenTtl, extraTokenClaims } from './token-claims';

const ctxWith = (oidc: object) => ({ oidc: { entities: {}, ...oidc } }) as unknown as KoaContextWithOIDC;
const token = (fields: object) => fields as unknown as AccessToken;

describe('extraTokenClaims', () => {
  const orders = {
    includePermissions: true,
    scopePermissions: { 'orders.read': ['orders:read'] },
  } as unknown as ResourceServer;
  const resourceServers = { find: async (id: string) => (id === 'https://orders.example' ? orders : null) };
  const clientTenants = { of: async (clientId: string) => (clientId === 'tenant-app' ? 't-1' : null) };
  const claims = extraTokenClaims(resourceServers, clientTenants);
  const account = {
    accountId: 'u-1',
    profile: { tenant_id: 't-1', roles: ['clerk'], permissions: ['orders:read', 'orders:write'] },
  };

  it("gives a user's token their tenant and only the permissions its scopes map to", async () => {
    await expect(
      claims(
        ctxWith({ account }),
        token({ accountId: 'u-1', aud: 'https://orders.example', scope: 'openid orders.read' }),
      ),
    ).resolves.toEqual({ tenant_id: 't-1', roles: ['clerk'], permissions: ['orders:read'] });
  });

  it("gives a tenant client's token its tenant, and a platform client's none", async () => {
    await expect(claims(ctxWith({ client: { clientId: 'tenant-app' } }), token({}))).resolves.toEqual({
      tenant_id: 't-1',
    });
    await expect(claims(ctxWith({ client: { clientId: 'platform-app' } }), token({}))).resolves.toBeUndefined();
  });

  it('names the administrator of an impersonated session in act (RFC 8693), and refuses one that has ended', async () => {
    const impersonation = {
      claims: async (sessionUid: string | undefined) => {
        if (sessionUid === 'ended') throw new Error('the impersonation has ended');
        return sessionUid === 'acting' ? { act: { sub: 'admin-1', tenant_id: 't-1' } } : {};
      },
    };
    const acting = extraTokenClaims(resourceServers, clientTenants, impersonation);
    const userToken = (sessionUid: string) => token({ accountId: 'u-1', scope: 'openid', sessionUid });
    await expect(acting(ctxWith({ account }), userToken('acting'))).resolves.toEqual({
      tenant_id: 't-1',
      sid: 'acting',
      act: { sub: 'admin-1', tenant_id: 't-1' },
    });
    await expect(acting(ctxWith({ account }), userToken('own'))).resolves.toEqual({ tenant_id: 't-1', sid: 'own' });
    await expect(acting(ctxWith({ account }), userToken('ended'))).rejects.toThrow('ended');
  });

  it("carries a token exchange's actor on the client token it issues", async () => {
    const exchanged = token({});
    delegate(exchanged, { sub: 'gateway', client_id: 'gateway' });
    await expect(claims(ctxWith({ client: { clientId: 'platform-app' } }), exchanged)).resolves.toEqual({
      act: { sub: 'gateway', client_id: 'gateway' },
    });
    await expect(claims(ctxWith({ client: { clientId: 'tenant-app' } }), exchanged)).resolves.toEqual({
      tenant_id: 't-1',
      act: { sub: 'gateway', client_id: 'gateway' },
    });
  });
});

describe('accessTokenTtl', () => {
  const config = { ACCESS_TOKEN_TTL_SECONDS: 900 };

  it("is the shortest of the client's and the API's lifetime, else the default", () => {
    expect(accessTokenTtl(config, { access_token_ttl: 300 }, 600)).toBe(300);
    expect(accessTokenTtl(config, {}, 600)).toBe(600);
    expect(accessTokenTtl(config, undefined)).toBe(900);
  });
});
