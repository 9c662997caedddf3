import { defineApiErrors } from '@platform/runtime';

/**
 * Failures of starting an account link from the account console, code → status: the tenant has
 * no enabled IdP of that slug; the IdP's discovery failed (nothing to send the browser to).
 */
export class AccountLinkError extends defineApiErrors({
  idp_not_found: 404,
  idp_unreachable: 502,
}) {}
