import {
  HttpIdentityInternalClient,
  INTERNAL_CONTRACT_SCENARIOS,
  type InternalContractSubject,
} from '@platform/contracts';
import { totpCode } from '../src/mfa/totp';
import { useIdentityApi } from './identity-api.harness';

/**
 * The shared typed client (what the authorization server uses) against the real backend: the
 * contract's scenarios, which FakeIdentityInternalClient's spec runs too.
 */
describe('internal API contract', () => {
  const api = useIdentityApi('identity_contract');
  let subject: InternalContractSubject;

  beforeAll(async () => {
    const created = async (res: { status: number; body: unknown }, what: string) => {
      if (res.status !== 201 && res.status !== 200)
        throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: string; secret?: string };
    };
    subject = {
      client: new HttpIdentityInternalClient({ baseUrl: api.baseUrl, token: async () => api.internalToken }),
      tenant: (slug, branding) => api.createTenant(slug, branding ? { branding } : undefined),
      user: async (tenantId, user) =>
        created(await api.call('POST', '/api/v1/users', await api.tenantAdminToken(tenantId), user), 'user'),
      totp: async (tenantId, userId) => {
        const own = await api.userToken(userId, tenantId);
        const { secret } = (await created(await api.call('POST', '/api/v1/me/mfa/totp', own), 'totp')) as {
          secret: string;
        };
        await created(
          await api.call('POST', '/api/v1/me/mfa/totp/confirm', own, { code: totpCode(secret) }),
          'confirm',
        );
        // The confirmation spent this window's code: the next one is still inside the accepted drift.
        return { code: () => totpCode(secret, Date.now() + 30_000) };
      },
      idp: async (tenantId, idp) =>
        created(await api.call('POST', '/api/v1/idps', await api.tenantAdminToken(tenantId), idp), 'idp'),
    };
  });

  for (const scenario of INTERNAL_CONTRACT_SCENARIOS) {
    it(scenario.name, () => scenario.run(subject));
  }
});
