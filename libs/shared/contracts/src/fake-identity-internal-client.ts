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

/** A passkey the fake knows: an assertion with this credential id and signature `valid` verifies. */
export interface FakePasskey {
  credentialId: string;
  userId: string;
  /** Answers passkey_counter_regression, as the backend does for a cloned authenticator. */
  cloned?: boolean;
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
    const user = [...this.users.values()].find((u) => u.login === login.toLowerCase());
    if (!user || user.password !== password || !user.active)
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
      mustChangePassword: false,
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

  async newDeviceSignIn(request: NewDeviceSignInRequest): Promise<void> {
    this.assertAvailable();
    this.newDeviceSignIns.push(request);
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

  private assertAvailable(): void {
    if (this.unavailable) throw new IdentityInternalError('unavailable', 'identity backend unavailable');
  }
}
