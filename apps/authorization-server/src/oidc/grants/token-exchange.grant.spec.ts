import type Provider from 'oidc-provider';
import type { ApiKeyVerifier, UsableApiKey } from '../../api-keys/api-key-verifier';
import type { GrantHelpers } from './grant-helpers';
import { GRANT_ERRORS } from './grants.spec-helper';
import { API_KEY_TOKEN_TYPE, tokenExchangeGrant } from './token-exchange.grant';

const errors = GRANT_ERRORS;

describe('tokenExchangeGrant (API key -> access token, RFC 8693)', () => {
  const ORDERS = 'https://orders.example';
  const KEY = 'ipk_0123456789abcdef0123_secret';

  const setUp = (key: Partial<UsableApiKey> | null = {}) => {
    const issued: { scope?: string; expiresIn: number; resourceServer?: unknown }[] = [];
    class ClientCredentials {
      scope?: string;
      expiresIn = 900;
      resourceServer?: unknown;
      readonly tokenType = 'Bearer';
      constructor({ scope }: { scope?: string }) {
        this.scope = scope;
      }
      get expiration() {
        return this.expiresIn;
      }
      async save() {
        issued.push(this);
        return 'issued-access-token';
      }
    }
    const provider = { ClientCredentials } as unknown as Provider;
    const server = { identifier: () => ORDERS, scopes: new Set(['orders.read', 'orders.write']) };
    const helpers = {
      validateDpop: jest.fn(async () => undefined),
      checkDpopRequired: jest.fn(),
      applyDpopBinding: jest.fn(async () => undefined),
      validateClientScope: jest.fn(),
      resolveRequestedResources: jest.fn(async () => [server]),
    };
    const usable: UsableApiKey | null = key && {
      id: '0123456789abcdef0123',
      tenantId: 'tenant-a',
      clientId: 'gateway',
      audience: ORDERS,
      scopes: ['orders.read', 'orders.write'],
      expiresAt: null,
      createdAt: new Date(),
      ...key,
    };
    const apiKeys = { verify: jest.fn(async () => usable) };
    const handler = tokenExchangeGrant(
      provider,
      errors,
      helpers as unknown as GrantHelpers,
      apiKeys as unknown as ApiKeyVerifier,
    );
    const exchange = (params: Record<string, unknown>) => {
      const ctx = {
        oidc: { client: { clientId: 'gateway' }, params, entity: jest.fn() },
        body: undefined as unknown,
      };
      return handler(ctx as unknown as Parameters<typeof handler>[0]).then(() => ctx.body);
    };
    return { exchange, apiKeys, helpers, issued };
  };
  const params = (extra: Record<string, unknown> = {}) => ({
    subject_token: KEY,
    subject_token_type: API_KEY_TOKEN_TYPE,
    ...extra,
  });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: { error?: string; error_description?: string }) => error.error,
    );

  it("issues an access token for the key's API with the key's scopes, checked for the calling client", async () => {
    const { exchange, apiKeys, helpers, issued } = setUp();
    await expect(exchange(params())).resolves.toEqual({
      access_token: 'issued-access-token',
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer',
      expires_in: 900,
      scope: 'orders.read orders.write',
    });
    expect(apiKeys.verify).toHaveBeenCalledWith(KEY, 'gateway');
    expect(helpers.validateClientScope).toHaveBeenCalledWith(
      expect.anything(),
      expect.anything(),
      new Set(['orders.read', 'orders.write']),
    );
    expect(issued[0]!.resourceServer).toBeDefined();
  });

  it('narrows to a requested subset and refuses a scope beyond the key', async () => {
    const { exchange } = setUp({ scopes: ['orders.read'] });
    await expect(exchange(params({ scope: 'orders.read' }))).resolves.toMatchObject({ scope: 'orders.read' });
    expect(await failure(exchange(params({ scope: 'orders.read orders.write' })))).toBe('invalid_scope');
  });

  it('never outlives the key', async () => {
    const { exchange } = setUp({ expiresAt: new Date(Date.now() + 120_500) });
    const body = (await exchange(params())) as { expires_in: number };
    expect(body.expires_in).toBeGreaterThan(60);
    expect(body.expires_in).toBeLessThanOrEqual(120);
  });

  it('refuses another resource or audience than the key is for', async () => {
    const { exchange } = setUp();
    expect(await failure(exchange(params({ resource: 'https://billing.example' })))).toBe('invalid_target');
    expect(await failure(exchange(params({ audience: [ORDERS, 'https://billing.example'] })))).toBe('invalid_target');
    await expect(exchange(params({ audience: ORDERS }))).resolves.toMatchObject({
      access_token: 'issued-access-token',
    });
  });

  it('answers invalid_request for a missing, unknown-typed or unusable subject token, and an unissuable token type', async () => {
    const { exchange } = setUp();
    expect(await failure(exchange({ subject_token_type: API_KEY_TOKEN_TYPE }))).toBe('invalid_request');
    expect(
      await failure(exchange(params({ subject_token_type: 'urn:ietf:params:oauth:token-type:access_token' }))),
    ).toBe('invalid_request');
    expect(
      await failure(exchange(params({ requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' }))),
    ).toBe('invalid_request');
    const unusable = setUp(null);
    expect(await failure(unusable.exchange(params()))).toBe('invalid_request');
  });
});
