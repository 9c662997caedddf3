import {
  type ChangePasswordRequest,
  type IdentityInternalClient,
  IdentityInternalError,
  type InternalIdentityProvider,
  type InternalTenant,
  type ResolvedExternalIdentity,
  type ResolveExternalIdentityRequest,
  type UserClaims,
  type VerifiedCredentials,
  type VerifyCredentialsRequest,
  type VerifyMfaRequest,
} from './identity-internal';

export interface FakeUser {
  id: string;
  tenantId: string;
  login: string;
  password: string;
  totpCode?: string;
  active?: boolean;
  /** Temporarily locked by failed sign-ins: the right password answers account_locked. */
  locked?: boolean;
  claims?: Record<string, unknown>;
}

/**
 * In-memory stand-in for unit tests of the authorization server. Behaves like the real API, minus
 * counting: a user is locked by setting `locked`, and the requests it saw are kept for assertions.
 */
export class FakeIdentityInternalClient implements IdentityInternalClient {
  readonly users = new Map<string, FakeUser>();
  readonly providers: InternalIdentityProvider[] = [];
  readonly links = new Map<string, string>();
  readonly tenants: InternalTenant[] = [];
  readonly credentialRequests: VerifyCredentialsRequest[] = [];
  unavailable = false;

  addUser(user: FakeUser): this {
    this.users.set(user.id, { active: true, ...user });
    return this;
  }

  async verifyCredentials(request: VerifyCredentialsRequest): Promise<VerifiedCredentials> {
    this.assertAvailable();
    this.credentialRequests.push(request);
    const { login, password, device } = request;
    const user = [...this.users.values()].find((u) => u.login === login.toLowerCase());
    if (!user || user.password !== password || !user.active)
      throw new IdentityInternalError('invalid_credentials', 'Invalid credentials');
    if (user.locked && device?.userId !== user.id)
      throw new IdentityInternalError('account_locked', 'This account is temporarily locked');
    const mfaMethods: VerifiedCredentials['mfaMethods'] = user.totpCode ? ['totp', 'recovery_code'] : [];
    return {
      userId: user.id,
      tenantId: user.tenantId,
      status: 'active',
      mfaRequired: mfaMethods.length > 0,
      mfaMethods,
      amr: ['pwd'],
      mustChangePassword: false,
    };
  }

  async verifyMfa({ userId, code }: VerifyMfaRequest): Promise<{ amr: string[] }> {
    this.assertAvailable();
    if (this.users.get(userId)?.totpCode !== code)
      throw new IdentityInternalError('invalid_mfa_code', 'The code is not valid');
    return { amr: ['pwd', 'otp'] };
  }

  async changePassword({ userId, currentPassword, newPassword }: ChangePasswordRequest): Promise<void> {
    this.assertAvailable();
    const user = this.users.get(userId);
    if (!user || user.password !== currentPassword)
      throw new IdentityInternalError('invalid_credentials', 'Invalid credentials');
    if (newPassword.length < 12) throw new IdentityInternalError('weak_password', 'Use at least 12 characters');
    user.password = newPassword;
  }

  async userClaims(userId: string): Promise<UserClaims> {
    this.assertAvailable();
    const user = this.users.get(userId);
    if (!user) throw new IdentityInternalError('user_not_found', 'User not found');
    if (!user.active) throw new IdentityInternalError('user_inactive', 'The user can no longer sign in');
    return { sub: user.id, tenant_id: user.tenantId, roles: [], permissions: [], ...user.claims };
  }

  async resolveExternalIdentity({
    providerId,
    subject,
  }: ResolveExternalIdentityRequest): Promise<ResolvedExternalIdentity> {
    this.assertAvailable();
    const userId = this.links.get(`${providerId}:${subject}`);
    const user = userId ? this.users.get(userId) : undefined;
    if (!user) throw new IdentityInternalError('no_linked_user', 'No local account is linked');
    return { userId: user.id, tenantId: user.tenantId, outcome: 'linked' };
  }

  async identityProviders(tenant: string): Promise<InternalIdentityProvider[]> {
    this.assertAvailable();
    return this.providers.filter((p) => p.tenantId === tenant || p.slug === tenant);
  }

  async tenant(tenant: string): Promise<InternalTenant> {
    this.assertAvailable();
    const found = this.tenants.find((t) => t.id === tenant || t.slug === tenant);
    if (!found) throw new IdentityInternalError('tenant_not_found', 'Tenant not found');
    return found;
  }

  private assertAvailable(): void {
    if (this.unavailable) throw new IdentityInternalError('unavailable', 'identity backend unavailable');
  }
}
