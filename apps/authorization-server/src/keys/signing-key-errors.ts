import { defineApiErrors } from '@platform/runtime';

export enum SigningKeyErrorCode {
  RotationInProgress = 'rotation_in_progress',
}

export class SigningKeyError extends defineApiErrors<SigningKeyErrorCode>({
  [SigningKeyErrorCode.RotationInProgress]: 409,
}) {}
