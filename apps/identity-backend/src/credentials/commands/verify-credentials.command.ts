import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { mfaMethodsFor } from '../../mfa/mfa-factors';
import { resolveTenantSettings } from '../../tenants/tenant-settings';
import { LockoutService } from '../lockout.service';
import { PasswordHasher } from '../password-hasher';
import { SignInRepository } from '../sign-in.repository';
import { SignInThrottle } from '../sign-in-throttle';

export interface VerifiedCredentials {
  userId: string;
  tenantId: string;
  status: 'active';
  mfaRequired: boolean;
  mfaMethods: string[];
  amr: string[];
  mustChangePassword: boolean;
}

export class VerifyCredentialsCommand extends Command<VerifiedCredentials> {
  constructor(
    readonly tenant: string,
    readonly login: string,
    readonly password: string,
    /** The end user's address as seen by the authorization server, for per-IP throttling. */
    readonly clientIp: string,
    /** The claim of a device cookie the browser presented (verified by the authorization server), see SignInThrottle. */
    readonly device?: { deviceId: string; userId: string },
  ) {
    super();
  }
}

/**
 * Password sign-in check for the authorization server. Unknown user, wrong password,
 * locked, disabled and deleted accounts all fail the same way after the same bcrypt
 * work, so neither the answer nor its timing tells them apart. The one exception: the
 * right password on a temporarily locked account is told so (account_locked), which
 * tells nothing to someone who lacks the password (see SignInThrottle.mayRevealLock). So are
 * email_not_verified, where the tenant requires a verified address, and passkey_required, where it
 * requires a passkey of its administrators (passkeys: required-for-admins) and this one holds none.
 */
@CommandHandler(VerifyCredentialsCommand)
export class VerifyCredentialsHandler implements ICommandHandler<VerifyCredentialsCommand> {
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly signIns: SignInRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: SignInThrottle,
    private readonly lockout: LockoutService,
  ) {}

  async execute({
    tenant: tenantRef,
    login,
    password,
    clientIp,
    device,
  }: VerifyCredentialsCommand): Promise<VerifiedCredentials> {
    // Postgres round trips of a sign-in: this one, the per-IP throttle's, and one write after the hash.
    const subject = await this.signIns.findSubject(tenantRef, login);
    const tenant = subject.tenant;
    const user = tenant?.status === 'active' ? subject.user : null;
    const policy = resolveTenantSettings(tenant?.settings ?? {}).lockoutPolicy;
    // The per-IP throttle counts per tenant; an unknown tenant counts under the name it was asked by.
    const tenantKey = tenant?.id ?? `ref:${tenantRef.toLowerCase()}`;

    const trusted =
      device !== undefined &&
      user !== null &&
      device.userId === user.id &&
      (await this.throttle.deviceTrusted(device.deviceId));
    if (!trusted) {
      const retryAfter = await this.throttle.ipRetryAfter(clientIp, tenantKey);
      if (retryAfter > 0) {
        throw new IdentityError(
          IdentityErrorCode.TooManyAttempts,
          'Too many failed sign-ins from this address; try again later',
          { retryAfter },
        );
      }
    }

    const passwordOk = await this.hasher.verify(password, user?.passwordHash ?? (await this.getDummyHash()));
    // A lock caused by untrusted clients does not keep out the user's own known device.
    const locked = user !== null && this.lockout.isLocked(user) && !trusted;
    if (!user || !passwordOk || locked || user.status !== 'active') {
      if (device) await this.throttle.recordDeviceFailure(device.deviceId);
      if (!trusted) await this.throttle.recordIpFailure(clientIp, tenantKey);
      if (user && !passwordOk && !trusted) {
        if (locked) await this.throttle.recordFailureDuringLock(user, policy);
        else await this.lockout.recordFailure(user, policy, 'password');
      }
      if (
        user &&
        passwordOk &&
        locked &&
        user.status === 'active' &&
        (await this.throttle.mayRevealLock(user, policy))
      ) {
        throw new IdentityError(
          IdentityErrorCode.AccountLocked,
          'This account is temporarily locked after too many failed sign-ins',
        );
      }
      throw invalidCredentials();
    }
    // Told only to whoever knows the password, like account_locked; nothing counts as a failure.
    if (!user.emailVerified && resolveTenantSettings(tenant!.settings).requireVerifiedEmail) {
      throw new IdentityError(IdentityErrorCode.EmailNotVerified, 'Confirm your email address before signing in');
    }

    const settings = resolveTenantSettings(tenant!.settings);
    // required-for-admins: an administrator's password is never enough, only their passkey completes it.
    const passkeyOnly = settings.passkeys === 'required-for-admins' && subject.isAdmin;
    if (passkeyOnly && !subject.hasPasskey) {
      throw new IdentityError(
        IdentityErrorCode.PasskeyRequired,
        'Administrators of this organisation must sign in with a passkey',
      );
    }
    const totpMethods = passkeyOnly ? [] : mfaMethodsFor(subject.hasConfirmedTotp);
    // A passkey is offered at the second step (and satisfies a tenant's MFA requirement), but does
    // not make one due by itself: a user who lost it still gets in with the password alone.
    const passkey = subject.hasPasskey && settings.passkeys !== 'off' ? ['passkey'] : [];
    const mfaMethods = [...totpMethods, ...passkey];
    const mfaRequired = passkeyOnly || settings.mfaPolicy === 'required' || totpMethods.length > 0;
    const rehash = this.hasher.needsRehash(user.passwordHash!) ? await this.hasher.hash(password) : null;
    // With a second factor pending, the failure streak ends only when that factor succeeds.
    if (!mfaRequired || mfaMethods.length === 0) await this.lockout.recordSuccess(user.id, rehash);
    else if (rehash) await this.signIns.updatePasswordHash(user.id, rehash);
    return {
      userId: user.id,
      tenantId: user.tenantId,
      status: 'active',
      mfaRequired,
      mfaMethods,
      amr: ['pwd'],
      mustChangePassword: user.mustChangePassword,
    };
  }

  /** A real hash at today's cost, so an unknown login costs the same as a known one. */
  private getDummyHash(): Promise<string> {
    this.dummyHash ??= this.hasher.hash(`dummy-${Math.random()}`);
    return this.dummyHash;
  }
}

const invalidCredentials = () => new IdentityError(IdentityErrorCode.InvalidCredentials, 'Invalid credentials');
