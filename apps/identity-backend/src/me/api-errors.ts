import { apiErrorResponses } from '@platform/runtime';
import { IdentityError, type IdentityErrorCode } from '../common/identity-error';

/** OpenAPI error responses of a route: one per status, naming the machine-readable codes it answers with. */
export const ApiIdentityErrors = (...codes: IdentityErrorCode[]) => apiErrorResponses(IdentityError.statusOf, codes);
