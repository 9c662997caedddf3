import { ApiError } from '@platform/runtime';

export enum ClientErrorCode {
  NotFound = 'client_not_found',
  InvalidMetadata = 'invalid_client_metadata',
  ReservedScope = 'reserved_scope',
  PublicClient = 'public_client',
}

const STATUS: Record<ClientErrorCode, number> = {
  [ClientErrorCode.NotFound]: 404,
  [ClientErrorCode.InvalidMetadata]: 400,
  [ClientErrorCode.ReservedScope]: 400,
  [ClientErrorCode.PublicClient]: 409,
};

export class ClientError extends ApiError {
  constructor(code: ClientErrorCode, message: string, details?: Record<string, unknown>) {
    super(STATUS[code], code, message, details);
  }
}
