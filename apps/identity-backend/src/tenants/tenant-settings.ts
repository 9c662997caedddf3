import type { Locale } from '@platform/i18n';
import { emailDomain } from '../common/email';
import { IdentityError, IdentityErrorCode } from '../common/identity-error';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from '../credentials/password-policy';

export interface LockoutPolicy {
  /** Failed attempts before the account is temporarily locked. */
  maxFailedAttempts: number;
  /** First lock duration; doubles per further lock, capped at maxLockSeconds. */
  lockSeconds: number;
  maxLockSeconds: number;
}

export interface TenantSettings {
  branding: { logoUrl: string | null; primaryColor: string | null; customCssUrl?: string | null };
  passwordPolicy: PasswordPolicy;
  lockoutPolicy: LockoutPolicy;
  mfaPolicy: 'optional' | 'required';
  /** Empty: any domain may register. */
  allowedEmailDomains: string[];
  selfRegistration: boolean;
  /** Role name given to self-registered users, if any. */
  defaultRole: string | null;
  /** Sign-in completes only once the user confirmed their address (the login says so and offers a new link). */
  requireVerifiedEmail: boolean;
  /** Language of emails and pages for users without a `locale` of their own. */
  defaultLocale: Locale;
  /** Terms of service the sign-up page links to, if any. */
  termsUrl: string | null;
  /** Passkeys (WebAuthn): off, allowed, or required for administrators (holders of a *:write permission). */
  passkeys: 'off' | 'allowed' | 'required-for-admins';
  /**
   * Mail the user when they sign in from a browser that has no device cookie of their account.
   * Off by default: it is a mail per new browser, which a tenant turns on knowingly.
   */
  newDeviceAlerts: boolean;
  /** How many days "Remember this device" at the second factor trusts a browser (1..365). */
  trustDurationDays: number;
  /**
   * Whether a remembered (trusted) browser skips the second factor at the user's next sign-ins.
   * Off by default: it trades a factor for convenience, which a tenant turns on knowingly.
   */
  allowMfaBypassOnTrustedDevice: boolean;
}

export const DEFAULT_TENANT_SETTINGS: TenantSettings = {
  branding: { logoUrl: null, primaryColor: null },
  passwordPolicy: DEFAULT_PASSWORD_POLICY,
  lockoutPolicy: { maxFailedAttempts: 5, lockSeconds: 60, maxLockSeconds: 900 },
  mfaPolicy: 'optional',
  allowedEmailDomains: [],
  selfRegistration: true,
  defaultRole: null,
  requireVerifiedEmail: false,
  defaultLocale: 'en',
  termsUrl: null,
  passkeys: 'allowed',
  newDeviceAlerts: false,
  trustDurationDays: 30,
  allowMfaBypassOnTrustedDevice: false,
};

/** Applies a partial update to settings, one level deep per section. */
export function mergeTenantSettings(base: TenantSettings, patch: Partial<TenantSettings>): TenantSettings {
  return {
    ...base,
    ...patch,
    branding: { ...base.branding, ...patch.branding },
    passwordPolicy: { ...base.passwordPolicy, ...patch.passwordPolicy },
    lockoutPolicy: { ...base.lockoutPolicy, ...patch.lockoutPolicy },
  };
}

/** Stored settings are partial (older tenants, partial updates): fill in today's defaults. */
export function resolveTenantSettings(stored: Partial<TenantSettings> | Record<string, unknown>): TenantSettings {
  return mergeTenantSettings(DEFAULT_TENANT_SETTINGS, stored as Partial<TenantSettings>);
}

/** Refuses an address (canonical) outside the tenant's allowed domains, when it has a list. */
export function assertEmailDomainAllowed(settings: Pick<TenantSettings, 'allowedEmailDomains'>, canonical: string) {
  const domain = emailDomain(canonical);
  if (settings.allowedEmailDomains.length > 0 && !settings.allowedEmailDomains.includes(domain)) {
    throw new IdentityError(
      IdentityErrorCode.EmailDomainNotAllowed,
      `Addresses at ${domain} cannot be used in this tenant`,
    );
  }
}
