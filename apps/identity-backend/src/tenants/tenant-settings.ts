import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from '../credentials/password-policy';

export interface LockoutPolicy {
  /** Failed attempts before the account is temporarily locked. */
  maxFailedAttempts: number;
  /** First lock duration; doubles per further lock, capped at maxLockSeconds. */
  lockSeconds: number;
  maxLockSeconds: number;
}

export interface TenantSettings {
  branding: { logoUrl: string | null; primaryColor: string | null };
  passwordPolicy: PasswordPolicy;
  lockoutPolicy: LockoutPolicy;
  mfaPolicy: 'optional' | 'required';
  /** Empty: any domain may register. */
  allowedEmailDomains: string[];
  selfRegistration: boolean;
  /** Role name given to self-registered users, if any. */
  defaultRole: string | null;
}

export const DEFAULT_TENANT_SETTINGS: TenantSettings = {
  branding: { logoUrl: null, primaryColor: null },
  passwordPolicy: DEFAULT_PASSWORD_POLICY,
  lockoutPolicy: { maxFailedAttempts: 5, lockSeconds: 60, maxLockSeconds: 900 },
  mfaPolicy: 'optional',
  allowedEmailDomains: [],
  selfRegistration: true,
  defaultRole: null,
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
