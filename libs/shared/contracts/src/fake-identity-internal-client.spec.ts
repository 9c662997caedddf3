import { FakeIdentityInternalClient } from './fake-identity-internal-client';
import { INTERNAL_CONTRACT_SCENARIOS, type InternalContractSubject } from './internal-contract.scenarios';

/** The fake the authorization server's specs use, held to the contract the real backend passes over HTTP. */
describe('FakeIdentityInternalClient against the internal API contract', () => {
  const subjectOf = (fake: FakeIdentityInternalClient): InternalContractSubject => {
    let ids = 0;
    const nextId = (kind: string) => `00000000-0000-4000-8000-${kind}${String(++ids).padStart(12 - kind.length, '0')}`;
    return {
      client: fake,
      tenant: async (slug, branding) => {
        const id = nextId('a');
        fake.tenants.push({
          id,
          slug,
          displayName: slug.toUpperCase(),
          branding: { logoUrl: null, primaryColor: branding?.primaryColor ?? null },
        });
        return { id };
      },
      user: async (tenantId, { email, password, temporaryPassword }) => {
        const id = nextId('b');
        fake.addUser({ id, tenantId, login: email.toLowerCase(), password, mustChangePassword: temporaryPassword });
        return { id };
      },
      totp: async (_tenantId, userId) => {
        fake.users.get(userId)!.totpCode = '246810';
        return { code: () => '246810' };
      },
      idp: async (tenantId, { clientSecret, jitProvisioning, ...idp }) => {
        const id = nextId('c');
        fake.providers.push({ ...idp, id, tenantId, clientSecret, scopes: ['openid', 'email'], jitProvisioning });
        return { id };
      },
    };
  };

  for (const scenario of INTERNAL_CONTRACT_SCENARIOS) {
    it(scenario.name, () => scenario.run(subjectOf(new FakeIdentityInternalClient())));
  }
});
