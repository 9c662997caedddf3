import { FakeIdentityInternalClient } from '@platform/contracts';
import { ManualClock } from '@platform/runtime';
import type Provider from 'oidc-provider';
import type { Account } from '../accounts';
import type { ClientTenants } from '../client-tenants';
import type { GrantHelpers } from './grant-helpers';
import { GRANT_ERRORS } from './grants.spec-helper';
import { INVALID_CREDENTIALS, MFA_REQUIRED, passwordGrant } from './password.grant';

const errors = GRANT_ERRORS;

describe('passwordGrant (resource owner password credentials, RFC 6749 §4.3)', () => {
  const TENANT = 'tenant-a';
  const ORDERS = 'https://orders.example';
  // The password was checked now: the refresh token's auth_time, by the injected clock.
  const SIGNED_IN_AT = Date.parse('2026-12-01T08:00:00Z');

  const setUp = (options: { refreshAllowed?: boolean } = {}) => {
    const identity = new FakeIdentityInternalClient()
      .addUser({ id: 'u-ada', tenantId: TENANT, login: 'ada@a.example', password: 'correct horse battery' })
      .addUser({
        id: 'u-mfa',
        tenantId: TENANT,
        login: 'mfa@a.example',
        password: 'correct horse battery',
        totpCode: '1',
      });
    const saved: Record<string, unknown[]> = { Grant: [], AccessToken: [], RefreshToken: [] };
    const model = (name: string) =>
      class {
        scope?: string;
        resourceServer?: unknown;
        readonly tokenType = 'Bearer';
        readonly expiration = 600;
        constructor(readonly payload: Record<string, unknown>) {}
        async save() {
          saved[name]!.push(this);
          return `${name}-value`;
        }
      };
    class Grant extends model('Grant') {
      readonly oidc: string[] = [];
      readonly resources: Record<string, string> = {};
      addOIDCScope(scope: string) {
        this.oidc.push(...scope.split(' ').filter(Boolean));
      }
      addResourceScope(resource: string, scope: string) {
        this.resources[resource] = scope;
      }
      getResourceScopeFiltered(resource: string, scopes: string[]) {
        return scopes.filter((s) => this.resources[resource]?.split(' ').includes(s)).join(' ');
      }
      getOIDCScopeFiltered(scopes: Set<string>) {
        return this.oidc.filter((s) => scopes.has(s)).join(' ');
      }
    }
    const provider = {
      Grant,
      AccessToken: model('AccessToken'),
      RefreshToken: model('RefreshToken'),
    } as unknown as Provider;
    const server = { identifier: () => ORDERS, scopes: new Set(['orders.read']) };
    let servers = [server];
    const helpers = {
      validateDpop: jest.fn(async () => undefined),
      checkDpopRequired: jest.fn(),
      applyDpopBinding: jest.fn(async () => undefined),
      applyRefreshTokenBindings: jest.fn(async () => undefined),
      validateClientScope: jest.fn(
        (_p: unknown, ctx: { oidc: { params: { scope?: string } } }) =>
          new Set((ctx.oidc.params.scope ?? '').split(' ')),
      ),
      resolveRequestedResources: jest.fn(async () => servers),
    };
    const unavailable = (message: string) => Object.assign(new Error(message), { status: 503 });
    const handler = passwordGrant(provider, errors, helpers as unknown as GrantHelpers, {
      config: { DEFAULT_LOGIN_TENANT: 'default' },
      identity,
      clientTenants: { of: async () => TENANT } as unknown as ClientTenants,
      findAccount: async (_ctx, sub) => (identity.users.has(sub) ? ({ accountId: sub } as Account) : undefined),
      unavailable,
      clock: new ManualClock(SIGNED_IN_AT),
    });
    const token = (params: Record<string, unknown>) => {
      const scope = typeof params.scope === 'string' ? params.scope : '';
      const ctx = {
        ip: '198.51.100.7',
        oidc: {
          client: { clientId: 'legacy-app', grantTypeAllowed: () => options.refreshAllowed ?? true },
          params,
          requestParamOIDCScopes: new Set(scope.split(' ').filter((s) => s === 'openid' || s === 'offline_access')),
          entity: jest.fn(),
        },
        body: undefined as unknown,
      };
      return handler(ctx as unknown as Parameters<typeof handler>[0]).then(() => ctx.body);
    };
    return { token, identity, saved, noResource: () => (servers = []) };
  };
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: { error?: string; error_description?: string; status?: number }) =>
        error.status === 503 ? 'unavailable' : `${error.error}: ${error.error_description}`,
    );
  const ada = { username: ' ada@a.example ', password: 'correct horse battery' };

  it("checks the password with the identity backend in the client's tenant and issues tokens for the API", async () => {
    const { token, identity, saved } = setUp();
    await expect(token({ ...ada, scope: 'openid offline_access orders.read' })).resolves.toEqual({
      access_token: 'AccessToken-value',
      token_type: 'Bearer',
      expires_in: 600,
      scope: 'orders.read',
      refresh_token: 'RefreshToken-value',
    });
    expect(identity.credentialRequests).toEqual([
      expect.objectContaining({ tenant: TENANT, login: 'ada@a.example', clientIp: '198.51.100.7' }),
    ]);
    expect(saved.RefreshToken![0]).toMatchObject({
      payload: { gty: 'password', amr: ['pwd'], resource: ORDERS, authTime: SIGNED_IN_AT / 1000 },
    });
  });

  it('issues no refresh token without offline_access, or to a client without the refresh grant', async () => {
    const { token } = setUp();
    await expect(token({ ...ada, scope: 'orders.read' })).resolves.not.toHaveProperty('refresh_token');
    const { token: noRefresh } = setUp({ refreshAllowed: false });
    await expect(noRefresh({ ...ada, scope: 'offline_access orders.read' })).resolves.not.toHaveProperty(
      'refresh_token',
    );
  });

  it('scopes an access token without a resource to the OIDC scopes', async () => {
    const { token, noResource } = setUp();
    noResource();
    await expect(token({ ...ada, scope: 'openid' })).resolves.toMatchObject({ scope: 'openid' });
  });

  it('answers one invalid_grant for every credential failure, and sends a user with MFA to the code flow', async () => {
    const { token } = setUp();
    for (const params of [
      { ...ada, password: 'wrong' },
      { username: 'nobody@a.example', password: 'whatever it is' },
    ]) {
      expect(await refusal(token(params))).toBe(`invalid_grant: ${INVALID_CREDENTIALS}`);
    }
    expect(await refusal(token({ username: 'mfa@a.example', password: 'correct horse battery' }))).toBe(
      `invalid_grant: ${MFA_REQUIRED}`,
    );
  });

  it('wants both parameters, and says the directory is unavailable rather than that the password is wrong', async () => {
    const { token, identity } = setUp();
    expect(await refusal(token({ username: 'ada@a.example' }))).toMatch(/^invalid_request: /);
    identity.unavailable = true;
    expect(await refusal(token(ada))).toBe('unavailable');
  });
});
