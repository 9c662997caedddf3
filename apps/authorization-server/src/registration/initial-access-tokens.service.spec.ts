import { ManualClock } from '@platform/runtime';
import { ALL_TENANTS } from '../access/management-access';
import type { AuthorizationServerConfig } from '../config';
import type { OidcProviderHolder } from '../oidc/oidc-provider.holder';
import type { InitialAccessTokensRepository } from './initial-access-tokens.repository';
import { InitialAccessTokensService } from './initial-access-tokens.service';
import { RegistrationErrorCode } from './registration-errors';
import { TENANT_REGISTRATION_POLICY } from './registration-provider';

describe('InitialAccessTokensService.issue', () => {
  const NOW = Date.parse('2026-12-01T12:00:00Z');

  const setUp = (enabled = true) => {
    const models: { expiresIn: number; policies: string[] }[] = [];
    const provider = {
      InitialAccessToken: class {
        constructor(readonly init: (typeof models)[number]) {
          models.push(init);
        }
        async save() {
          return 'iat-value';
        }
      },
    };
    const described: unknown[] = [];
    const tokens = { describe: async (token: string, grant: unknown) => void described.push({ token, grant }) };
    const service = new InitialAccessTokensService(
      { provider } as unknown as OidcProviderHolder,
      tokens as unknown as InitialAccessTokensRepository,
      { DYNAMIC_CLIENT_REGISTRATION: enabled } as AuthorizationServerConfig,
      new ManualClock(NOW),
    );
    return { service, models, described };
  };

  it("issues the provider's token under the tenant policy, with its tenant and use limit, dated by the clock", async () => {
    const { service, models, described } = setUp();
    const issued = await service.issue('tenant-a', { expiresInSeconds: 3600, maxUses: 2 }, 'admin-1');
    expect(models).toEqual([{ expiresIn: 3600, policies: [TENANT_REGISTRATION_POLICY] }]);
    expect(issued).toMatchObject({
      token: 'iat-value',
      tenantId: 'tenant-a',
      maxUses: 2,
      uses: 0,
      createdBy: 'admin-1',
      createdAt: new Date(NOW),
      expiresAt: new Date(NOW + 3_600_000),
    });
    expect(described).toEqual([
      { token: 'iat-value', grant: expect.objectContaining({ tenantId: 'tenant-a', maxUses: 2 }) },
    ]);
  });

  it('refuses when registration is off, and a platform token naming no tenant', async () => {
    await expect(setUp(false).service.issue('tenant-a', {}, null)).rejects.toMatchObject({
      code: RegistrationErrorCode.Disabled,
    });
    const { service, models } = setUp();
    await expect(service.issue(ALL_TENANTS, {}, null)).rejects.toMatchObject({
      code: RegistrationErrorCode.TenantRequired,
    });
    expect(models).toEqual([]);
  });
});
