import type { interactionPolicy, KoaContextWithOIDC } from 'oidc-provider';
import { ImpersonationSessions } from './impersonation-sessions';

/**
 * A browser holding an impersonation start link always shows the login page, even with a session
 * of its own: the administrator proves it is them before the session becomes the user's (and a
 * different account ending the current session is oidc-provider's own rule at resume). An
 * impersonated session that has run out asks for a sign-in again too: it ends with the impersonation.
 */
export function withImpersonationStart(
  policy: interactionPolicy.DefaultPolicy,
  Check: typeof interactionPolicy.Check,
  sessions?: Pick<ImpersonationSessions, 'ofSession'>,
): interactionPolicy.DefaultPolicy {
  const login = policy.get('login');
  if (!login) throw new Error('oidc-provider no longer has the login prompt');
  login.checks.unshift(
    new Check(
      'impersonation_start',
      'an impersonation link waits for the administrator to sign in',
      'login_required',
      (ctx: KoaContextWithOIDC) => ImpersonationSessions.ticketOf(ctx.get('cookie')) !== null && !ctx.oidc.result,
    ),
  );
  if (sessions) {
    login.checks.unshift(
      new Check(
        'impersonation_ended',
        'the impersonation this session was has ended',
        'login_required',
        async (ctx: KoaContextWithOIDC) =>
          !ctx.oidc.result && (await sessions.ofSession(ctx.oidc.session?.uid)) === 'ended',
      ),
    );
  }
  return policy;
}
