import { ApiError } from './api-error';

/** The error class defineApiErrors makes: constructed with one of its feature's codes. */
export interface ApiErrorClass<C extends string> {
  new (code: C, message: string, details?: Record<string, unknown>): ApiError & { readonly code: C };
  /** The HTTP status of a code (the feature's one mapping). */
  statusOf(code: C): number;
}

/**
 * A feature's error class from its one exhaustive code → HTTP status map (pass
 * `Record<MyErrorCode, number>` and the compiler refuses a code without a status):
 *
 *     export class ClientError extends defineApiErrors<ClientErrorCode>({ [ClientErrorCode.NotFound]: 404, ... }) {}
 *     throw new ClientError(ClientErrorCode.NotFound, 'Client not found');
 *
 * The only way to make an ApiError outside this library (a lint rule forbids `new ApiError(`), so
 * every 4xx a client sees has a code its feature declared.
 */
export function defineApiErrors<C extends string>(statusByCode: Readonly<Record<C, number>>): ApiErrorClass<C> {
  return class extends ApiError {
    declare readonly code: C;

    constructor(code: C, message: string, details?: Record<string, unknown>) {
      super(statusByCode[code], code, message, details);
    }

    static statusOf(code: C): number {
      return statusByCode[code];
    }
  };
}
