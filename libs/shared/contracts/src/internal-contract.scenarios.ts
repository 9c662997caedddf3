// Jest's globals (expect) by reference: the browser apps' typecheck (tsconfig.web.json, no jest
// types) reaches this file through the contracts index, which the console imports for its scopes.
/// <reference types="jest" />
import { type IdentityInternalClient, IdentityInternalError } from './identity-internal';

/**
 * An implementation of the internal API under test: its client, and the set-up the scenarios need
 * (done through the backend's own admin API for the real one, in memory for the fake).
 */
export interface InternalContractSubject {
  client: IdentityInternalClient;
  tenant(slug: string, branding?: { primaryColor: string }): Promise<{ id: string }>;
  user(
    tenantId: string,
    user: { email: string; password: string; temporaryPassword?: boolean },
  ): Promise<{ id: string }>;
  /** Enrols and confirms an authenticator app; `code()` gives a code the next verification accepts. */
  totp(tenantId: string, userId: string): Promise<{ code(): string }>;
  idp(
    tenantId: string,
    idp: {
      slug: string;
      displayName: string;
      issuer: string;
      clientId: string;
      clientSecret: string;
      jitProvisioning: boolean;
    },
  ): Promise<{ id: string }>;
}

export interface InternalContractScenario {
  name: string;
  run(subject: InternalContractSubject): Promise<void>;
}

const PASSWORD = 'contract passphrase ok';

/** A new tenant with one user of PASSWORD (unless the user says otherwise). */
async function tenantWithUser(
  subject: InternalContractSubject,
  slug: string,
  user: { email: string; password?: string; temporaryPassword?: boolean },
) {
  const tenant = await subject.tenant(slug);
  const { id } = await subject.user(tenant.id, { password: PASSWORD, ...user });
  return { tenant, user: { id } };
}

/**
 * The internal API's contract as scenarios (Ory's one suite per implementation): the backend's
 * integration test runs them over HTTP against the real service, the fake's spec against
 * FakeIdentityInternalClient, so the fake the authorization server's specs use stays true.
 * Jest's `expect`: load this only from a test. Each scenario has its own tenant.
 */
export const INTERNAL_CONTRACT_SCENARIOS: InternalContractScenario[] = [
  {
    name: 'verifies credentials (MFA due once enrolled) and refuses a wrong password',
    async run(subject) {
      const { tenant, user } = await tenantWithUser(subject, 'contract-sign-in', { email: 'c@example.com' });
      const login = { tenant: 'contract-sign-in', login: 'c@example.com', clientIp: '127.0.0.1' };
      await expect(subject.client.verifyCredentials({ ...login, password: PASSWORD })).resolves.toMatchObject({
        userId: user.id,
        tenantId: tenant.id,
        mfaRequired: false,
        amr: ['pwd'],
      });
      await subject.totp(tenant.id, user.id);
      await expect(subject.client.verifyCredentials({ ...login, password: PASSWORD })).resolves.toMatchObject({
        userId: user.id,
        mfaRequired: true,
        mfaMethods: ['totp', 'recovery_code'],
      });
      await expect(subject.client.verifyCredentials({ ...login, password: 'wrong' })).rejects.toEqual(
        expect.any(IdentityInternalError),
      );
      await expect(subject.client.verifyCredentials({ ...login, password: 'wrong' })).rejects.toMatchObject({
        failure: 'invalid_credentials',
      });
    },
  },
  {
    name: "counts a login only in the tenant asked for: another tenant's user is unknown there",
    async run(subject) {
      await tenantWithUser(subject, 'contract-home', { email: 'home@example.com' });
      await subject.tenant('contract-elsewhere');
      await expect(
        subject.client.verifyCredentials({
          tenant: 'contract-elsewhere',
          login: 'home@example.com',
          password: PASSWORD,
          clientIp: '127.0.0.1',
        }),
      ).rejects.toMatchObject({ failure: 'invalid_credentials' });
    },
  },
  {
    name: 'verifies the TOTP code of a pending sign-in',
    async run(subject) {
      const { tenant, user } = await tenantWithUser(subject, 'contract-mfa', { email: 'm@example.com' });
      const totp = await subject.totp(tenant.id, user.id);
      await expect(
        subject.client.verifyMfa({ tenantId: tenant.id, userId: user.id, method: 'totp', code: '000000' }),
      ).rejects.toMatchObject({ failure: 'invalid_mfa_code' });
      await expect(
        subject.client.verifyMfa({ tenantId: tenant.id, userId: user.id, method: 'totp', code: totp.code() }),
      ).resolves.toEqual({ amr: ['pwd', 'otp'] });
    },
  },
  {
    name: 'reads the claims of the scopes asked for; an unknown user is user_not_found',
    async run(subject) {
      const { tenant, user } = await tenantWithUser(subject, 'contract-claims', { email: 'claims@example.com' });
      await expect(subject.client.userClaims(user.id, ['openid', 'email'])).resolves.toMatchObject({
        sub: user.id,
        tenant_id: tenant.id,
        email: 'claims@example.com',
        roles: [],
        permissions: [],
      });
      await expect(subject.client.userClaims(user.id, ['openid'])).resolves.not.toHaveProperty('email');
      await expect(subject.client.userClaims('00000000-0000-4000-8000-000000000000', ['openid'])).rejects.toMatchObject(
        { failure: 'user_not_found' },
      );
    },
  },
  {
    name: "lists the tenant's identity providers with their secret and provisions a user just in time",
    async run(subject) {
      const tenant = await subject.tenant('contract-idps');
      const idp = await subject.idp(tenant.id, {
        slug: 'up',
        displayName: 'Up',
        issuer: 'https://up.example',
        clientId: 'rp',
        clientSecret: 's3',
        jitProvisioning: true,
      });
      await expect(subject.client.identityProviders('contract-idps')).resolves.toEqual([
        expect.objectContaining({ id: idp.id, tenantId: tenant.id, slug: 'up', clientSecret: 's3' }),
      ]);
      await expect(subject.client.identityProviders(tenant.id)).resolves.toHaveLength(1);
      const claims = { email: 'x@example.com', email_verified: true };
      const provisioned = await subject.client.resolveExternalIdentity({
        tenantId: tenant.id,
        providerId: idp.id,
        subject: 'x',
        claims,
      });
      expect(provisioned).toMatchObject({ tenantId: tenant.id, outcome: 'provisioned' });
      // The same upstream account next time: the link made then.
      await expect(
        subject.client.resolveExternalIdentity({ tenantId: tenant.id, providerId: idp.id, subject: 'x', claims }),
      ).resolves.toEqual({ userId: provisioned.userId, tenantId: tenant.id, outcome: 'linked' });
      await expect(subject.client.userClaims(provisioned.userId, ['openid', 'email'])).resolves.toMatchObject({
        email: 'x@example.com',
      });
    },
  },
  {
    name: 'reads a tenant for the hosted pages, by slug or id; an unknown one is tenant_not_found',
    async run(subject) {
      const tenant = await subject.tenant('contract-pages', { primaryColor: '#123456' });
      for (const ref of ['contract-pages', tenant.id]) {
        await expect(subject.client.tenant(ref)).resolves.toMatchObject({
          id: tenant.id,
          slug: 'contract-pages',
          branding: { primaryColor: '#123456', logoUrl: null },
        });
      }
      await expect(subject.client.tenant('no-such-tenant')).rejects.toMatchObject({ failure: 'tenant_not_found' });
    },
  },
  {
    name: 'replaces a temporary password during sign-in: weak and wrong refused, then no change due',
    async run(subject) {
      const { tenant, user } = await tenantWithUser(subject, 'contract-temporary', {
        email: 't@example.com',
        password: 'temporary passphrase 1',
        temporaryPassword: true,
      });
      const login = { tenant: tenant.id, login: 't@example.com', clientIp: '127.0.0.1' };
      await expect(
        subject.client.verifyCredentials({ ...login, password: 'temporary passphrase 1' }),
      ).resolves.toMatchObject({ mustChangePassword: true });
      const change = { tenantId: tenant.id, userId: user.id, currentPassword: 'temporary passphrase 1' };
      await expect(subject.client.changePassword({ ...change, newPassword: 'short' })).rejects.toMatchObject({
        failure: 'weak_password',
      });
      await expect(
        subject.client.changePassword({ ...change, currentPassword: 'wrong', newPassword: 'a fresh passphrase 22' }),
      ).rejects.toMatchObject({ failure: 'invalid_credentials' });
      await subject.client.changePassword({ ...change, newPassword: 'a fresh passphrase 22' });
      await expect(
        subject.client.verifyCredentials({ ...login, password: 'a fresh passphrase 22' }),
      ).resolves.toMatchObject({ mustChangePassword: false });
    },
  },
];
