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

/** A feature's code constants: name → wire code (`ApiKeyErrorCode.NotFound` is `'api_key_not_found'`). */
export type ApiErrorCodes<T extends Readonly<Record<string, readonly [string, number]>>> = {
  readonly [K in keyof T]: T[K][0];
};

/** The union of a feature's wire codes, for a type position: `ApiErrorCodeOf<typeof ApiKeyErrorCode>`. */
export type ApiErrorCodeOf<T extends Readonly<Record<string, string>>> = T[keyof T];

/**
 * A feature's named codes and its error class from one table, name → [wire code, HTTP status], so
 * each code is written once (an enum plus a status map wrote it twice):
 *
 *     export const [ApiKeyErrorCode, ApiKeyError] = defineApiErrorCodes({
 *       NotFound: ['api_key_not_found', 404],
 *       InvalidScope: ['invalid_scope', 400],
 *     });
 *     throw new ApiKeyError(ApiKeyErrorCode.NotFound, 'API key not found');
 *
 * Where the code union is wanted as a type: `export type ApiKeyErrorCode = ApiErrorCodeOf<typeof ApiKeyErrorCode>`.
 */
export function defineApiErrorCodes<const T extends Readonly<Record<string, readonly [string, number]>>>(
  table: T,
): readonly [ApiErrorCodes<T>, ApiErrorClass<T[keyof T][0]>] {
  type C = T[keyof T][0];
  const codes = {} as Record<string, string>;
  const statusByCode = {} as Record<string, number>;
  for (const [name, [code, status]] of Object.entries(table)) {
    codes[name] = code;
    statusByCode[code] = status;
  }
  return [Object.freeze(codes) as ApiErrorCodes<T>, defineApiErrors<C>(statusByCode as Record<C, number>)];
}
