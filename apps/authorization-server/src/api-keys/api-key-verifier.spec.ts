import { sha256Hex } from '@platform/crypto';
import { ManualClock } from '@platform/runtime';
import type { ClientTenants } from '../oidc/client-tenants';
import { apiKeyIntrospection, ApiKeyVerifier } from './api-key-verifier';
import { generateApiKey } from './api-key-format';
import type { ApiKeysRepository, StoredApiKey } from './api-keys.repository';

describe('ApiKeyVerifier', () => {
  const NOW = Date.parse('2026-12-01T12:00:00Z');

  const setUp = (stored: Partial<StoredApiKey> = {}) => {
    const { id, key } = generateApiKey();
    const row: StoredApiKey = {
      id,
      tenantId: 'tenant-a',
      clientId: 'owner-app',
      audience: 'https://orders.example',
      scopes: ['orders.read'],
      secretHash: sha256Hex(key),
      expiresAt: new Date(NOW + 3_600_000),
      revokedAt: null,
      createdAt: new Date(NOW - 86_400_000),
      touch: true,
      ...stored,
    };
    const repository = {
      findForVerification: jest.fn(async (wanted: string) => (wanted === row.id ? row : null)),
      recordUse: jest.fn(async () => undefined),
    };
    const tenants: Record<string, string | null> = { 'gateway-of-a': 'tenant-a', 'gateway-of-b': 'tenant-b' };
    const clientTenants = { of: async (clientId: string) => tenants[clientId] ?? null };
    const clock = new ManualClock(NOW);
    const verifier = new ApiKeyVerifier(
      repository as unknown as ApiKeysRepository,
      clientTenants as unknown as ClientTenants,
      clock,
    );
    return { verifier, repository, clock, key, id };
  };

  it('accepts the genuine key for its owning client and records the use', async () => {
    const { verifier, repository, key, id } = setUp();
    await expect(verifier.verify(key, 'owner-app')).resolves.toMatchObject({
      id,
      clientId: 'owner-app',
      audience: 'https://orders.example',
      scopes: ['orders.read'],
    });
    expect(repository.recordUse).toHaveBeenCalledWith(id);
  });

  it('records a use at most once a minute (the repository says when it is due)', async () => {
    const { verifier, repository, key } = setUp({ touch: false });
    await expect(verifier.verify(key, 'owner-app')).resolves.not.toBeNull();
    expect(repository.recordUse).not.toHaveBeenCalled();
  });

  it("lets the tenant's other clients use a tenant key, never another tenant's", async () => {
    const { verifier, key } = setUp();
    await expect(verifier.verify(key, 'gateway-of-a')).resolves.not.toBeNull();
    await expect(verifier.verify(key, 'gateway-of-b')).resolves.toBeNull();
    await expect(verifier.verify(key, 'unknown-client')).resolves.toBeNull();
  });

  it('refuses a key once the clock reaches its expiry', async () => {
    const { verifier, clock, key } = setUp();
    clock.advance(3_600_000 - 1);
    await expect(verifier.verify(key, 'owner-app')).resolves.not.toBeNull();
    clock.advance(1);
    await expect(verifier.verify(key, 'owner-app')).resolves.toBeNull();
  });

  it('refuses a revoked key, a wrong secret for a known id, an unknown id and a malformed key', async () => {
    const revoked = setUp({ revokedAt: new Date(NOW - 1000) });
    await expect(revoked.verifier.verify(revoked.key, 'owner-app')).resolves.toBeNull();

    const { verifier, repository, key, id } = setUp();
    const forged = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    await expect(verifier.verify(forged, 'owner-app')).resolves.toBeNull();
    await expect(verifier.verify(generateApiKey().key, 'owner-app')).resolves.toBeNull();
    await expect(verifier.verify('ipk_not-a-key', 'owner-app')).resolves.toBeNull();
    expect(repository.findForVerification).toHaveBeenCalledTimes(2);
    expect(repository.findForVerification).toHaveBeenCalledWith(id);
    expect(repository.recordUse).not.toHaveBeenCalled();
  });

  it('introspects a usable key as RFC 7662 says, a tenant key without a client as itself', async () => {
    const { verifier, key, id } = setUp({ clientId: null });
    const usable = (await verifier.verify(key, 'gateway-of-a'))!;
    expect(apiKeyIntrospection(usable, 'https://id.example')).toEqual({
      active: true,
      token_type: 'api_key',
      scope: 'orders.read',
      aud: 'https://orders.example',
      iss: 'https://id.example',
      sub: `api-key:${id}`,
      client_id: `api-key:${id}`,
      iat: Math.floor((NOW - 86_400_000) / 1000),
      exp: Math.floor((NOW + 3_600_000) / 1000),
      tenant_id: 'tenant-a',
      api_key_id: id,
    });
  });
});
