import type { Translate } from '@platform/i18n';
import { registerTemplate } from '../interactions/pages/layout';

/**
 * A tenant's password policy as the identity backend states it (its self-service tenant view):
 * length bounds, the common/breached-password list, no personal identifiers, and how many
 * previous passwords may not come back. No composition rules (OWASP ASVS 5 ch. 6, DESIGN §7).
 */
export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
  /** Previous passwords a change may not reuse (0: none); absent from an older backend. */
  historySize?: number;
  /** Refused when on the list of common and breached passwords. */
  commonPasswordCheck?: boolean;
  /** Refused when it contains the email's local part or the username. */
  userIdentifierCheck?: boolean;
}

export type PasswordRule = 'length' | 'common' | 'personal' | 'history' | 'characters';

/** The backend's violation codes (details.violations of weak_password; password_reused) by rule. */
const RULE_OF: Record<string, PasswordRule> = {
  too_short: 'length',
  too_long: 'length',
  common_password: 'common',
  contains_user_identifier: 'personal',
  password_reused: 'history',
};

/** What one rejected password broke, as the error messages say it (one per rule). */
const ERROR_OF: Record<string, string> = {
  too_short: 'errors.password_too_short',
  too_long: 'errors.password_too_long',
  common_password: 'errors.password_common',
  contains_user_identifier: 'errors.password_personal',
  password_reused: 'errors.password_reused',
};

export interface PolicyList {
  id: string;
  minLength: number;
  maxLength: number;
  title: string;
  rules: { rule: PasswordRule; text: string; broken: boolean }[];
  brokenLabel: string;
}

/**
 * The policy as the list shown under a new-password field before anything is submitted, each rule
 * marked when the last attempt broke it. `forChange`: a reset or change (the history rule applies;
 * a new account has no history). `s` translates the self-service namespace.
 */
export function policyList(
  policy: PasswordPolicy,
  s: Translate,
  options: { field: string; forChange: boolean; violations?: readonly string[] },
): PolicyList {
  const broken = new Set((options.violations ?? []).map((v) => RULE_OF[v]).filter(Boolean));
  const rules: PolicyList['rules'] = [];
  const add = (rule: PasswordRule, text: string) => rules.push({ rule, text, broken: broken.has(rule) });
  add('length', s('common.policyLength', { minLength: policy.minLength, maxLength: policy.maxLength }));
  if (policy.commonPasswordCheck !== false) add('common', s('common.policyBreached'));
  if (policy.userIdentifierCheck !== false) add('personal', s('common.policyPersonal'));
  if (options.forChange && (policy.historySize ?? 0) > 0) {
    add('history', s('common.policyHistory', { count: policy.historySize }));
  }
  add('characters', s('common.policyCharacters'));
  return {
    id: `${options.field}-policy`,
    minLength: policy.minLength,
    maxLength: policy.maxLength,
    title: s('common.policyTitle'),
    rules,
    brokenLabel: s('common.policyBroken'),
  };
}

/** One error message per rule a rejected password broke (the summary links each to the field). */
export function violationMessages(violations: readonly string[], policy: PasswordPolicy, s: Translate): string[] {
  const known = violations.filter((v) => ERROR_OF[v]);
  return known.map((v) => s(ERROR_OF[v]!, { minLength: policy.minLength, maxLength: policy.maxLength }));
}

/** The backend's answer to a rejected password as violation codes (none known: the caller says it generally). */
export function violationsOf(code: string, details?: { violations?: unknown }): string[] {
  if (code === 'password_reused') return ['password_reused'];
  const listed = details?.violations;
  if (code !== 'weak_password' || !Array.isArray(listed)) return [];
  return listed.filter((v): v is string => typeof v === 'string' && v in ERROR_OF);
}

// Right after its input (the stylesheet ticks the length rule once the input is :valid, no script).
registerTemplate(
  '@password-policy',
  `<div class="policy" id="<%= it.id %>"><p><%= it.title %></p><ul>
<% it.rules.forEach(function (r) { %><li class="policy-<%= r.rule %><% if (r.broken) { %> policy-broken<% } %>"><%= r.text %><% if (r.broken) { %> <strong>(<%= it.brokenLabel %>)</strong><% } %></li>
<% }) %></ul></div>`,
);
