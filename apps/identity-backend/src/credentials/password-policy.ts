import commonPasswords from '@zxcvbn-ts/language-common/src/passwords.json';

/** Tenant-configurable rules (OWASP ASVS 5 ch. 6: length, not composition). */
export interface PasswordPolicy {
  minLength: number;
  /** How many previous passwords a user may not reuse. */
  historySize: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: 12, historySize: 5 };

/** Long passphrases are welcome; the cap only bounds hashing work and request size. */
export const MAX_PASSWORD_LENGTH = 256;

export type PasswordViolation = 'too_short' | 'too_long' | 'common_password' | 'contains_user_identifier';

// ~49k passwords seen most often in breaches (shipped with @zxcvbn-ts/language-common).
const COMMON = new Set((commonPasswords as string[]).map((p) => p.toLowerCase()));

/** Lists every rule a candidate password breaks, given who it is for. */
export function passwordViolations(
  password: string,
  policy: PasswordPolicy,
  context: { email?: string; username?: string | null } = {},
): PasswordViolation[] {
  const normalized = password.normalize('NFKC');
  const length = [...normalized].length;
  const lower = normalized.toLowerCase();
  const violations: PasswordViolation[] = [];
  if (length < policy.minLength) violations.push('too_short');
  if (length > MAX_PASSWORD_LENGTH) violations.push('too_long');
  if (COMMON.has(lower)) violations.push('common_password');
  const identifiers = [context.email?.split('@')[0], context.username].filter((v): v is string => !!v && v.length >= 4);
  if (identifiers.some((id) => lower.includes(id.toLowerCase()))) violations.push('contains_user_identifier');
  return violations;
}
