import { ApiError } from '@platform/runtime';

export enum SigningKeyErrorCode {
  RotationInProgress = 'rotation_in_progress',
}

const STATUS: Record<SigningKeyErrorCode, number> = {
  [SigningKeyErrorCode.RotationInProgress]: 409,
};

export class SigningKeyError extends ApiError {
  constructor(code: SigningKeyErrorCode, message: string) {
    super(STATUS[code], code, message);
  }
}
