import { ManualClock } from '@platform/runtime';
import type Provider from 'oidc-provider';
import type { ApiKeyVerifier, UsableApiKey } from '../../api-keys/api-key-verifier';
import type { VerifiedAccessToken } from './access-token-verifier';
import { delegationOf } from './delegation';
import type { GrantHelpers } from './grant-helpers';
import { GRANT_ERRORS } from './grants.spec-helper';
import { API_KEY_TOKEN_TYPE, tokenExchangeGrant } from './token-exchange.grant';

const errors = GRANT_ERRORS;

describe('tokenExchangeGrant (API key -> access token, RFC 8693)', () => {
  const ORDERS = 'https://orders.example';
  const KEY = 'ipk_0123456789abcdef0123_secret';

  const NOW = new Date('2026-12-01T12:00:00Z');
  /** Access tokens the fake verifier knows (subject or actor tokens), by value. */
  const GATEWAY_TOKEN: VerifiedAccessToken = {
    sub: 'gateway',
    clientId: 'gateway',
    scopes: ['orders.read'],
    expiresAt: new Date(NOW.getTime() + 600_000),
  };
  const knownTokens: Record<string, VerifiedAccessToken> = {
    'gateway-cc': GATEWAY_TOKEN,
    'gateway-as-user': { ...GATEWAY_TOKEN, sub: 'user-1' },
    'other-client': { ...GATEWAY_TOKEN, sub: 'billing', clientId: 'billing' },
    'delegated-before': { ...GATEWAY_TOKEN, act: { sub: 'batch', client_id: 'batch' } },
    'impersonated-user': { ...GATEWAY_TOKEN, sub: 'user-1', act: { sub: 'admin-1' } },
  };

  const setUp = (key: Partial<UsableApiKey> | null = {}) => {
    const issued: { scope?: string; expiresIn: number; resourceServer?: unknown }[] = [];
    const clock = new ManualClock(NOW);
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
    const accessTokens = { verify: jest.fn(async (token: string) => knownTokens[token] ?? null) };
    const handler = tokenExchangeGrant(
      provider,
      errors,
      helpers as unknown as GrantHelpers,
      apiKeys as unknown as ApiKeyVerifier,
      accessTokens,
      clock,
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
    const { exchange } = setUp({ expiresAt: new Date(NOW.getTime() + 120_500) });
    const body = (await exchange(params())) as { expires_in: number };
    expect(body.expires_in).toBe(120);
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
    expect(await failure(exchange(params({ subject_token_type: 'urn:ietf:params:oauth:token-type:saml2' })))).toBe(
      'invalid_request',
    );
    expect(
      await failure(exchange(params({ requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' }))),
    ).toBe('invalid_request');
    const unusable = setUp(null);
    expect(await failure(unusable.exchange(params()))).toBe('invalid_request');
  });

  describe('delegation (actor_token, RFC 8693 §1.1 and §4.1)', () => {
    const ACTOR = { actor_token: 'gateway-cc', actor_token_type: 'urn:ietf:params:oauth:token-type:access_token' };

    it("names the actor in the issued token's act claim (its sub and client_id)", async () => {
      const { exchange, issued } = setUp();
      await expect(exchange(params(ACTOR))).resolves.toMatchObject({ access_token: 'issued-access-token' });
      expect(delegationOf(issued[0]!)).toEqual({ sub: 'gateway', client_id: 'gateway' });
    });

    it("keeps the subject token's own act nested inside the new actor's", async () => {
      const { exchange, issued } = setUp();
      const subject = {
        subject_token: 'delegated-before',
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        audience: ORDERS,
      };
      await expect(exchange({ ...subject, ...ACTOR })).resolves.toMatchObject({ scope: 'orders.read' });
      expect(delegationOf(issued[0]!)).toEqual({
        sub: 'gateway',
        client_id: 'gateway',
        act: { sub: 'batch', client_id: 'batch' },
      });
      // Without a new actor the chain is still carried on.
      await exchange(subject);
      expect(delegationOf(issued[1]!)).toEqual({ sub: 'batch', client_id: 'batch' });
    });

    it('issues no act without an actor token', async () => {
      const { exchange, issued } = setUp();
      await exchange(params());
      expect(delegationOf(issued[0]!)).toBeUndefined();
    });

    it('refuses a bad actor token, a missing or unknown actor_token_type, and an actor that is not the caller', async () => {
      const { exchange, issued } = setUp();
      const type = ACTOR.actor_token_type;
      expect(await failure(exchange(params({ actor_token: 'forged', actor_token_type: type })))).toBe(
        'invalid_request',
      );
      expect(await failure(exchange(params({ actor_token: 'gateway-cc' })))).toBe('invalid_request');
      expect(await failure(exchange(params({ actor_token_type: type })))).toBe('invalid_request');
      expect(await failure(exchange(params({ actor_token: 'gateway-cc', actor_token_type: API_KEY_TOKEN_TYPE })))).toBe(
        'invalid_request',
      );
      expect(await failure(exchange(params({ actor_token: 'other-client', actor_token_type: type })))).toBe(
        'invalid_request',
      );
      // An impersonated session's token acts for someone already: it does not become an actor.
      expect(await failure(exchange(params({ actor_token: 'impersonated-user', actor_token_type: type })))).toBe(
        'invalid_request',
      );
      expect(issued).toHaveLength(0);
    });

    it("exchanges only the calling client's own access token, for one named API, never beyond it", async () => {
      const { exchange } = setUp();
      const jwt = 'urn:ietf:params:oauth:token-type:jwt';
      expect(
        await failure(exchange({ subject_token: 'other-client', subject_token_type: jwt, audience: ORDERS })),
      ).toBe('invalid_request');
      expect(
        await failure(exchange({ subject_token: 'gateway-as-user', subject_token_type: jwt, audience: ORDERS })),
      ).toBe('invalid_request');
      expect(await failure(exchange({ subject_token: 'gateway-cc', subject_token_type: jwt }))).toBe('invalid_target');
      expect(
        await failure(
          exchange({ subject_token: 'gateway-cc', subject_token_type: jwt, audience: ORDERS, scope: 'orders.write' }),
        ),
      ).toBe('invalid_scope');
      const body = (await exchange({ subject_token: 'gateway-cc', subject_token_type: jwt, resource: ORDERS })) as {
        expires_in: number;
      };
      // Never outlives the subject token (10 minutes left of it).
      expect(body.expires_in).toBeLessThanOrEqual(600);
    });
  });
});
