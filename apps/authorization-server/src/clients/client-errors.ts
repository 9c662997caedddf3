import { defineApiErrorCodes } from '@platform/runtime';

export const [ClientErrorCode, ClientError] = defineApiErrorCodes({
  NotFound: ['client_not_found', 404],
  InvalidMetadata: ['invalid_client_metadata', 400],
  /** oidc-provider's verdict on a redirect URI (RFC 7591 §3.2.2). */
  InvalidRedirectUri: ['invalid_redirect_uri', 400],
  ReservedScope: ['reserved_scope', 400],
  PublicClient: ['public_client', 409],
});
