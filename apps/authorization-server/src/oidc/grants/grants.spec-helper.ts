import type { errors as OidcErrors } from 'oidc-provider';

/** One of oidc-provider's error classes as far as the grants use it: the OAuth error code and its description. */
const oauthError = (error: string) =>
  class extends Error {
    readonly error = error;
    constructor(readonly error_description: string) {
      super(error_description);
    }
  };

/** The errors the custom grants throw, without loading the ESM-only package into a unit spec. */
export const GRANT_ERRORS = {
  InvalidRequest: oauthError('invalid_request'),
  InvalidGrant: oauthError('invalid_grant'),
  InvalidTarget: oauthError('invalid_target'),
  InvalidScope: oauthError('invalid_scope'),
  CustomOIDCProviderError: class extends Error {
    constructor(
      readonly error: string,
      readonly error_description: string,
    ) {
      super(error_description);
    }
  },
} as unknown as typeof OidcErrors;
