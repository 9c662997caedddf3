import { ApiError } from './api-error';

/** The error class defineApiErrors makes: constructed with one of its feature's codes. */
export interface ApiErrorClass<C extends string> {
  new (code: C, message: string, details?: Record<string, unknown>): ApiError & { readonly code: C };
  /** The HTTP status of a code (the feature's one mapping). */
  statusOf(code: C): number;
}

/**
 * A feature's error class from its one code → HTTP status map; its codes are the map's keys, so
 * a code without a status cannot be thrown:
 *
 *     export class SessionError extends defineApiErrors({ session_not_found: 404, ... }) {}
 *     throw new SessionError('session_not_found', 'Session not found');
 *
 * A feature with a code enum passes it (`defineApiErrors<ClientErrorCode>({ [ClientErrorCode.NotFound]: 404, ... })`)
 * and the map must then cover every member.
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
