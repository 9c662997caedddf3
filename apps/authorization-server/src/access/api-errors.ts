import { apiErrorResponses } from '@platform/runtime';

/** Codes any management route may answer besides its feature's: a bad body/parameter, a token without the scope, a non-platform-admin. */
const COMMON_STATUS = { validation_failed: 400, insufficient_scope: 403, platform_admin_required: 403 } as const;
type CommonCode = keyof typeof COMMON_STATUS;

const isCommon = (code: string): code is CommonCode => code in COMMON_STATUS;

/**
 * OpenAPI error responses of a management route: 401, 403 `insufficient_scope` (every @Authorize route),
 * then the feature's codes (its defineApiErrors map) and common ones grouped by status.
 */
export const ApiManagementErrors = <C extends string>(
  errors: { statusOf(code: C): number },
  ...codes: readonly (C | CommonCode)[]
) =>
  apiErrorResponses<C | CommonCode>(
    (code) => (isCommon(code) ? COMMON_STATUS[code] : errors.statusOf(code)),
    codes.includes('insufficient_scope') ? codes : [...codes, 'insufficient_scope'],
  );

/** For routes whose only failures are the common ones. */
export const NO_FEATURE_ERRORS = { statusOf: (): number => 500 };
