import { defineApiErrors } from '@platform/runtime';

/**
 * Failures of the trusted-devices API (self-service and admin), code → status. `user_not_found`
 * also answers for a user of another tenant (indistinguishable from one that does not exist),
 * `device_not_found` for another user's device, an expired or an already revoked one.
 */
export class DeviceError extends defineApiErrors({
  device_not_found: 404,
  user_not_found: 404,
}) {}
