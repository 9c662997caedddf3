/**
 * An error a client can act on: an HTTP status plus a stable, machine-readable code.
 * Domains subclass it with their own code enums and one exhaustive status mapping.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
