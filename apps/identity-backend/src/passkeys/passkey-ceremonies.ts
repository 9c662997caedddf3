import { Inject, Injectable } from '@nestjs/common';
import type { PasskeyAssertionJSON, PasskeyRequestOptionsJSON } from '@platform/contracts';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { IdentityError, IdentityErrorCode } from '../common/identity-error';
import { IDENTITY_CONFIG } from '../common/tokens';
import type { IdentityBackendConfig } from '../config';
import { LockoutService } from '../credentials/lockout.service';
import { EventRecorder } from '../events/event-recorder';
import { EventTypes, userEvent } from '../events/identity-events';
import type { Tenant } from '../tenants/tenant.entity';
import { resolveTenantSettings } from '../tenants/tenant-settings';
import type { User } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Passkey } from './passkey.entity';
import { PasskeyError, PasskeyErrorCode } from './passkey-error';
import { CHALLENGE_TTL_SECONDS, PasskeysRepository } from './passkeys.repository';
import { type RelyingParty, relyingPartyOf } from './relying-party';

/** The WebAuthn user handle of a user: the 16 bytes of their id (no personal data). */
export const userHandleOf = (userId: string): Uint8Array<ArrayBuffer> =>
  new Uint8Array(Buffer.from(userId.replace(/-/g, ''), 'hex'));

const invalidPasskey = () => new PasskeyError(PasskeyErrorCode.InvalidPasskey, 'The passkey was not accepted');

/** The challenge a response answers, read from its client data (then looked up and consumed server-side). */
function challengeOf(clientDataJSON: string): string | null {
  try {
    const challenge: unknown = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')).challenge;
    return typeof challenge === 'string' && challenge.length <= 128 ? challenge : null;
  } catch {
    return null;
  }
}

/** Refuses a ceremony in a tenant whose policy switched passkeys off. */
export function assertPasskeysAllowed(tenant: Pick<Tenant, 'settings'>): void {
  if (resolveTenantSettings(tenant.settings).passkeys === 'off') {
    throw new PasskeyError(PasskeyErrorCode.PasskeysDisabled, 'Passkeys are switched off in this tenant');
  }
}

export interface VerifiedPasskey {
  user: User;
  passkey: Passkey;
  /** RFC 8176: `hwk` for a device-bound key, `swk` for one that may be synced; `mfa` when the user was verified. */
  amr: string[];
}

/**
 * The WebAuthn ceremonies (through @simplewebauthn/server) with the platform's rules: challenges
 * stored server-side and single use, user verification required for enrolment and passwordless
 * sign-in, the RP id and origins from configuration, the sign counter only moving forward, and
 * failures counted in the account lockout every other factor shares.
 */
@Injectable()
export class PasskeyCeremonies {
  private readonly rp: RelyingParty;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly passkeys: PasskeysRepository,
    private readonly users: UsersRepository,
    private readonly lockout: LockoutService,
    private readonly events: EventRecorder,
    @Inject(IDENTITY_CONFIG) config: IdentityBackendConfig,
  ) {
    this.rp = relyingPartyOf(config);
  }

  async registrationOptions(tenant: Tenant, user: User): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.passkeys.ofUser(tenant.id, user.id);
    const name = user.email || user.username || user.id;
    const displayName = typeof user.profile?.name === 'string' ? user.profile.name : name;
    const options = await generateRegistrationOptions({
      rpName: tenant.displayName,
      rpID: this.rp.id,
      userName: name,
      userID: userHandleOf(user.id),
      userDisplayName: displayName,
      timeout: CHALLENGE_TTL_SECONDS * 1000,
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
      // Discoverable, so the passkey alone can start a sign-in; verified, so it is two factors in one.
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    });
    await this.passkeys.saveChallenge({
      challenge: options.challenge,
      purpose: 'registration',
      tenantId: tenant.id,
      userId: user.id,
      userVerification: 'required',
    });
    return options;
  }

  /** Checks an attestation against the user's live registration challenge (used up either way). */
  async verifyRegistration(tenantId: string, userId: string, response: RegistrationResponseJSON) {
    const challenge = challengeOf(response.response.clientDataJSON);
    const stored = challenge && (await this.passkeys.consumeChallenge(tenantId, 'registration', challenge));
    const failed = () =>
      new PasskeyError(PasskeyErrorCode.RegistrationFailed, 'The passkey could not be registered; start again');
    if (!stored || stored.userId !== userId) throw failed();
    try {
      const verification = await verifyRegistrationResponse({
        response,
        expectedChallenge: stored.challenge,
        expectedOrigin: this.rp.origins,
        expectedRPID: this.rp.id,
        requireUserVerification: true,
      });
      if (!verification.verified) throw failed();
      return verification.registrationInfo;
    } catch (error) {
      throw error instanceof PasskeyError ? error : failed();
    }
  }

  /** Options for `navigator.credentials.get`; `user` null: discoverable (the browser offers what it holds). */
  async authenticationOptions(
    tenant: Tenant,
    user: Pick<User, 'id'> | null,
    userVerification: 'required' | 'preferred',
  ): Promise<PasskeyRequestOptionsJSON> {
    const allow = user ? await this.passkeys.ofUser(tenant.id, user.id) : [];
    const options = await generateAuthenticationOptions({
      rpID: this.rp.id,
      timeout: CHALLENGE_TTL_SECONDS * 1000,
      userVerification,
      allowCredentials: allow.map((p) => ({ id: p.credentialId, transports: p.transports })),
    });
    await this.passkeys.saveChallenge({
      challenge: options.challenge,
      purpose: 'authentication',
      tenantId: tenant.id,
      userId: user?.id ?? null,
      userVerification,
    });
    return {
      challenge: options.challenge,
      timeout: options.timeout,
      rpId: options.rpId,
      userVerification: options.userVerification,
      allowCredentials: (options.allowCredentials ?? []).map((c) => ({
        id: c.id,
        type: 'public-key' as const,
        ...(c.transports ? { transports: c.transports } : {}),
      })),
    };
  }

  /**
   * Verifies an assertion of a passkey of this tenant (of `expectedUserId` when given, for the
   * second factor). Every way of failing before the signature check answers invalid_passkey; a
   * bad signature also counts against the account; a regressed counter is refused and audited.
   */
  async verifyAuthentication(
    tenant: Tenant,
    credential: PasskeyAssertionJSON,
    expectedUserId: string | null,
  ): Promise<VerifiedPasskey> {
    const challenge = challengeOf(credential.response.clientDataJSON);
    const stored = challenge && (await this.passkeys.consumeChallenge(tenant.id, 'authentication', challenge));
    if (!stored) throw invalidPasskey();
    const passkey = await this.passkeys.findByCredentialId(tenant.id, credential.id);
    if (!passkey) throw invalidPasskey();
    if (stored.userId !== null && stored.userId !== passkey.userId) throw invalidPasskey();
    if (expectedUserId !== null && (stored.userId !== expectedUserId || passkey.userId !== expectedUserId))
      throw invalidPasskey();
    const handle = credential.response.userHandle;
    if (handle && handle !== Buffer.from(userHandleOf(passkey.userId)).toString('base64url')) throw invalidPasskey();
    const user = await this.users.findById(tenant.id, passkey.userId);
    if (!user || user.status !== 'active') throw invalidPasskey();
    const policy = resolveTenantSettings(tenant.settings).lockoutPolicy;

    let info;
    try {
      const verification = await verifyAuthenticationResponse({
        response: { ...credential, authenticatorAttachment: credential.authenticatorAttachment ?? undefined },
        expectedChallenge: stored.challenge,
        expectedOrigin: this.rp.origins,
        expectedRPID: this.rp.id,
        requireUserVerification: stored.userVerification === 'required',
        // Our own counter rule follows the signature check, so a clone is told apart and audited.
        credential: {
          id: passkey.credentialId,
          publicKey: new Uint8Array(passkey.publicKey),
          counter: 0,
          transports: passkey.transports,
        },
      });
      if (!verification.verified) throw invalidPasskey();
      info = verification.authenticationInfo;
    } catch {
      await this.lockout.recordFailure(user, policy, 'passkey');
      throw invalidPasskey();
    }

    const storedCount = Number(passkey.signCount);
    const regressed = (info.newCounter > 0 || storedCount > 0) && info.newCounter <= storedCount;
    if (regressed || !(await this.passkeys.recordUse(passkey, info.newCounter, info.credentialBackedUp))) {
      await this.dataSource.transaction((manager) =>
        this.events.record(manager, [
          userEvent(EventTypes.userPasskeyCounterRegressed, user, {
            passkeyId: passkey.id,
            storedCount,
            presentedCount: info.newCounter,
          }),
        ]),
      );
      await this.lockout.recordFailure(user, policy, 'passkey');
      throw new PasskeyError(
        PasskeyErrorCode.CounterRegression,
        'This passkey reported a signature counter it already used: it may have been copied',
      );
    }
    if (this.lockout.isLocked(user)) {
      throw new IdentityError(
        IdentityErrorCode.AccountLocked,
        'This account is temporarily locked after too many failed sign-ins',
      );
    }
    const synced = info.credentialBackedUp || info.credentialDeviceType === 'multiDevice';
    return { user, passkey, amr: [synced ? 'swk' : 'hwk', ...(info.userVerified ? ['mfa'] : [])] };
  }
}
