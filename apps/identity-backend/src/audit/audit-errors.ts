import { defineApiErrors } from '@platform/runtime';

/** What the audit API refuses beyond malformed parameters (those are `validation_failed`). */
export enum AuditErrorCode {
  /** `from` is not before `to`: the range holds no instant. */
  InvalidTimeRange = 'invalid_time_range',
}

export class AuditError extends defineApiErrors<AuditErrorCode>({
  [AuditErrorCode.InvalidTimeRange]: 400,
}) {}
