import { defineApiErrorCodes } from '@platform/runtime';

export const [SigningKeyErrorCode, SigningKeyError] = defineApiErrorCodes({
  RotationInProgress: ['rotation_in_progress', 409],
});
