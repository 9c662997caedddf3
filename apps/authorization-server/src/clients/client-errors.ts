import { defineApiErrors } from '@platform/runtime';

export enum ClientErrorCode {
  NotFound = 'client_not_found',
  InvalidMetadata = 'invalid_client_metadata',
  /** oidc-provider's verdict on a redirect URI (RFC 7591 §3.2.2). */
  InvalidRedirectUri = 'invalid_redirect_uri',
  ReservedScope = 'reserved_scope',
  PublicClient = 'public_client',
}

export class ClientError extends defineApiErrors<ClientErrorCode>({
  [ClientErrorCode.NotFound]: 404,
  [ClientErrorCode.InvalidMetadata]: 400,
  [ClientErrorCode.InvalidRedirectUri]: 400,
  [ClientErrorCode.ReservedScope]: 400,
  [ClientErrorCode.PublicClient]: 409,
}) {}
