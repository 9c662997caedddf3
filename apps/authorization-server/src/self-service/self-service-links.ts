import { ACCOUNT_PAGES, type AccountPage } from '@platform/contracts';

/**
 * A link from a hosted page (the login's "Forgot password?", "Create account", the
 * unverified-email message) to a self-service page of the tenant; with the interaction's id, the
 * page's "Back to sign-in" returns into that sign-in.
 */
export function selfServiceHref(page: AccountPage, from: { tenant: string; interactionUid?: string }): string {
  const query = new URLSearchParams({ tenant: from.tenant });
  if (from.interactionUid) query.set('return', `/interaction/${from.interactionUid}`);
  return `${ACCOUNT_PAGES[page]}?${query}`;
}
