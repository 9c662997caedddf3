import { ApiError } from '@platform/runtime';

export enum ResourceServerErrorCode {
  MissingToken = 'missing_token',
  InvalidToken = 'invalid_token',
  InsufficientScope = 'insufficient_scope',
  NotFound = 'not_found',
  VerificationUnavailable = 'token_verification_unavailable',
}

const STATUS: Record<ResourceServerErrorCode, number> = {
  [ResourceServerErrorCode.MissingToken]: 401,
  [ResourceServerErrorCode.InvalidToken]: 401,
  [ResourceServerErrorCode.InsufficientScope]: 403,
  [ResourceServerErrorCode.NotFound]: 404,
  [ResourceServerErrorCode.VerificationUnavailable]: 503,
};

export class ResourceServerError extends ApiError {
  constructor(code: ResourceServerErrorCode, message: string) {
    super(STATUS[code], code, message);
  }

  /** RFC 6750 §3: the challenge a 401/403 carries. */
  get wwwAuthenticate(): string | null {
    switch (this.code) {
      case ResourceServerErrorCode.MissingToken:
        return 'Bearer';
      case ResourceServerErrorCode.InvalidToken:
        return `Bearer error="invalid_token", error_description="${this.message.replace(/"/g, "'")}"`;
      case ResourceServerErrorCode.InsufficientScope:
        return 'Bearer error="insufficient_scope"';
      default:
        return null;
    }
  }
}
