/**
 * The hosted self-service pages (served by the authorization server) that the identity
 * backend's emails link to. One constant for both sides, so a link can never point at a
 * page that does not exist.
 */
export const ACCOUNT_PAGES = {
  signUp: '/account/sign-up',
  verifyEmail: '/account/verify-email',
  forgotPassword: '/account/forgot-password',
  resetPassword: '/account/reset-password',
  confirmEmailChange: '/account/confirm-email-change',
  /** The account console (a single-page app). */
  console: '/account',
  /** Its sessions and devices screen (the new-device mail links there). */
  consoleSessions: '/account/sessions',
} as const;

export type AccountPage = keyof typeof ACCOUNT_PAGES;

/** An absolute link to a page under the account base URL, with its query (e.g. the emailed token). */
export function accountPageLink(baseUrl: string, page: AccountPage, query: Record<string, string> = {}): string {
  // Appended, not resolved: a base URL with a path (https://example.com/id) keeps it.
  const search = new URLSearchParams(query).toString();
  return `${baseUrl.replace(/\/+$/, '')}${ACCOUNT_PAGES[page]}${search ? `?${search}` : ''}`;
}
