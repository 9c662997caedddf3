import {
  type ChangePasswordRequest,
  type IdentityInternalClient,
  IdentityInternalError,
  type InternalIdentityProvider,
  type InternalTenant,
  type LinkExternalIdentityRequest,
  type NewDeviceSignInRequest,
  type ResolvedExternalIdentity,
  type ResolveExternalIdentityRequest,
  type UserClaims,
  type VerifiedCredentials,
  type VerifyCredentialsRequest,
  type VerifyMfaRequest,
} from './identity-internal';
import type {
  PasskeyAssertionJSON,
  PasskeyAuthenticationOptionsRequest,
  PasskeyRequestOptionsJSON,
  VerifyPasskeyMfaRequest,
  VerifyPasskeyRequest,
} from './passkeys';
import type { RedeemedImpersonation, RedeemImpersonationRequest } from './impersonation';

export interface FakeUser {
  id: string;
  tenantId: string;
  login: string;
  password: string;
  totpCode?: string;
  active?: boolean;
  /** Temporarily locked by failed sign-ins: the right password answers account_locked. */
  locked?: boolean;
  /** A temporary password (set by an administrator): the sign-in asks for a new one. */
  mustChangePassword?: boolean;
  claims?: Record<string, unknown>;
}

/** A passkey the fake knows: an assertion with this credential id and signature `valid` verifies. */
export interface FakePasskey {
  credentialId: string;
  userId: string;
  /** Answers passkey_counter_regression, as the backend does for a cloned authenticator. */
  cloned?: boolean;
}

/** A provider the fake knows; with jitProvisioning, an unlinked upstream account with an address becomes a user. */
export interface FakeIdentityProvider extends InternalIdentityProvider {
  jitProvisioning?: boolean;
}

/**
 * In-memory stand-in for unit tests of the authorization server. Behaves like the real API, minus
 * counting: a user is locked by setting `locked`, and the requests it saw are kept for assertions.
 */
export class FakeIdentityInternalClient implements IdentityInternalClient {
  readonly users = new Map<string, FakeUser>();
  readonly providers: FakeIdentityProvider[] = [];
  readonly links = new Map<string, string>();
  readonly tenants: InternalTenant[] = [];
  readonly credentialRequests: VerifyCredentialsRequest[] = [];
  readonly passkeys: FakePasskey[] = [];
  readonly newDeviceSignIns: NewDeviceSignInRequest[] = [];
  unavailable = false;

  addUser(user: FakeUser): this {
    this.users.set(user.id, { active: true, ...user });
    return this;
  }

  async verifyCredentials(request: VerifyCredentialsRequest): Promise<VerifiedCredentials> {
    this.assertAvailable();
    this.credentialRequests.push(request);
    const { login, password, device } = request;
    // Logins are the tenant's, as the backend's sign-in looks them up (tenant by id or slug).
    const user = [...this.users.values()].find(
      (u) => u.login === login.trim().toLowerCase() && this.isTenant(u.tenantId, request.tenant),
    );
    if (!user || !password || user.password !== password || !user.active)
      throw new IdentityInternalError('invalid_credentials', 'Invalid credentials');
    if (user.locked && device?.userId !== user.id)
      throw new IdentityInternalError('account_locked', 'This account is temporarily locked');
    const mfaMethods: VerifiedCredentials['mfaMethods'] = user.totpCode ? ['totp', 'recovery_code'] : [];
    // A passkey is offered at the second step, but does not by itself make one due.
    const passkey: VerifiedCredentials['mfaMethods'] = this.passkeys.some((p) => p.userId === user.id)
      ? ['passkey']
      : [];
    return {
      userId: user.id,
      tenantId: user.tenantId,
      status: 'active',
      mfaRequired: mfaMethods.length > 0,
      mfaMethods: [...mfaMethods, ...passkey],
      amr: ['pwd'],
      mustChangePassword: user.mustChangePassword === true,
    };
  }

  async verifyMfa(request: VerifyMfaRequest | VerifyPasskeyMfaRequest): Promise<{ amr: string[] }> {
    this.assertAvailable();
    const { userId } = request;
    if (request.method === 'passkey') {
      const passkey = this.checkPasskey(request.passkey);
      if (passkey.userId !== userId) throw new IdentityInternalError('invalid_passkey', 'The passkey was not accepted');
      return { amr: ['pwd', 'hwk', 'mfa'] };
    }
    if (this.users.get(userId)?.totpCode !== request.code)
      throw new IdentityInternalError('invalid_mfa_code', 'The code is not valid');
    return { amr: ['pwd', 'otp'] };
  }

  async changePassword({ tenantId, userId, currentPassword, newPassword }: ChangePasswordRequest): Promise<void> {
    this.assertAvailable();
    const user = this.users.get(userId);
    if (!user || user.tenantId !== tenantId || user.password !== currentPassword)
      throw new IdentityInternalError('invalid_credentials', 'Invalid credentials');
    if (newPassword.length < 12) throw new IdentityInternalError('weak_password', 'Use at least 12 characters');
    user.password = newPassword;
    user.mustChangePassword = false;
  }

  async userClaims(userId: string, scopes: string[] = []): Promise<UserClaims> {
    this.assertAvailable();
    const user = this.users.get(userId);
    if (!user) throw new IdentityInternalError('user_not_found', 'User not found');
    if (!user.active) throw new IdentityInternalError('user_inactive', 'The user can no longer sign in');
    // The email scope releases the address the user signs in with, as the backend's claims do.
    const email = scopes.includes('email') && user.login.includes('@') ? { email: user.login } : {};
    return { sub: user.id, tenant_id: user.tenantId, roles: [], permissions: [], ...email, ...user.claims };
  }

  async resolveExternalIdentity({
    tenantId,
    providerId,
    subject,
    claims,
  }: ResolveExternalIdentityRequest): Promise<ResolvedExternalIdentity> {
    this.assertAvailable();
    const key = `${providerId}:${subject}`;
    const userId = this.links.get(key);
    const user = userId ? this.users.get(userId) : undefined;
    if (user) return { userId: user.id, tenantId: user.tenantId, outcome: 'linked' };
    const provider = this.providers.find((p) => p.id === providerId && p.tenantId === tenantId);
    if (provider?.jitProvisioning && typeof claims.email === 'string') {
      const provisioned = { id: `u-provisioned-${this.users.size + 1}`, tenantId, login: claims.email.toLowerCase() };
      // No password: the upstream account is the way in.
      this.addUser({ ...provisioned, password: '' });
      this.links.set(key, provisioned.id);
      return { userId: provisioned.id, tenantId, outcome: 'provisioned' };
    }
    throw new IdentityInternalError('no_linked_user', 'No local account is linked');
  }

  async identityProviders(tenant: string): Promise<InternalIdentityProvider[]> {
    this.assertAvailable();
    // The tenant by id or slug (not the provider's own slug); the fake's settings stay in the fake.
    return this.providers
      .filter((p) => this.isTenant(p.tenantId, tenant))
      .map(({ jitProvisioning: _jit, ...provider }) => provider);
  }

  async tenant(tenant: string): Promise<InternalTenant> {
    this.assertAvailable();
    const found = this.tenants.find((t) => t.id === tenant || t.slug === tenant);
    if (!found) throw new IdentityInternalError('tenant_not_found', 'Tenant not found');
    return found;
  }

  async newDeviceSignIn(request: NewDeviceSignInRequest): Promise<void> {
    this.assertAvailable();
    this.newDeviceSignIns.push(request);
  }

  /** Start links the fake redeems (ticket -> impersonation), each once. */
  readonly impersonationTickets = new Map<string, RedeemedImpersonation>();

  async redeemImpersonation({ ticket, actorId }: RedeemImpersonationRequest): Promise<RedeemedImpersonation> {
    this.assertAvailable();
    const found = this.impersonationTickets.get(ticket);
    if (!found || found.actorId !== actorId) {
      throw new IdentityInternalError('impersonation_ticket_invalid', 'The impersonation link is not valid');
    }
    this.impersonationTickets.delete(ticket);
    return found;
  }

  async linkExternalIdentity({ userId, providerId, subject }: LinkExternalIdentityRequest): Promise<void> {
    this.assertAvailable();
    const key = `${providerId}:${subject}`;
    const owner = this.links.get(key);
    if (owner && owner !== userId) throw new IdentityInternalError('external_identity_taken', 'Linked to another user');
    this.links.set(key, userId);
  }

  async passkeyAuthenticationOptions({
    userId,
  }: PasskeyAuthenticationOptionsRequest): Promise<PasskeyRequestOptionsJSON> {
    this.assertAvailable();
    const allow = userId ? this.passkeys.filter((p) => p.userId === userId) : [];
    return {
      challenge: `challenge-${userId ?? 'discoverable'}`,
      rpId: 'localhost',
      userVerification: 'required',
      allowCredentials: allow.map((p) => ({ id: p.credentialId, type: 'public-key' as const })),
    };
  }

  async verifyPasskey({ credential }: VerifyPasskeyRequest): Promise<VerifiedCredentials> {
    this.assertAvailable();
    const user = this.users.get(this.checkPasskey(credential).userId)!;
    return {
      userId: user.id,
      tenantId: user.tenantId,
      status: 'active',
      mfaRequired: false,
      mfaMethods: [],
      amr: ['hwk', 'mfa'],
      mustChangePassword: false,
    };
  }

  private checkPasskey(credential: PasskeyAssertionJSON): FakePasskey {
    const passkey = this.passkeys.find((p) => p.credentialId === credential.id);
    if (!passkey || credential.response.signature !== 'valid' || !this.users.get(passkey.userId)?.active)
      throw new IdentityInternalError('invalid_passkey', 'The passkey was not accepted');
    if (passkey.cloned) throw new IdentityInternalError('passkey_counter_regression', 'It may have been copied');
    return passkey;
  }

  /** Whether a tenant reference (id, or the slug of a tenant the fake knows) names this tenant. */
  private isTenant(tenantId: string, ref: string): boolean {
    return ref === tenantId || this.tenants.some((t) => t.id === tenantId && t.slug === ref);
  }

  private assertAvailable(): void {
    if (this.unavailable) throw new IdentityInternalError('unavailable', 'identity backend unavailable');
  }
}
