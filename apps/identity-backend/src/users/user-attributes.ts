import { IdentityError, IdentityErrorCode } from '../common/identity-error';

const MAX_ATTRIBUTES_BYTES = 16 * 1024;

/** Custom attributes are free-form JSON, but bounded: they travel in tokens and exports. */
export function assertAttributesSize(attributes: Record<string, unknown> | undefined): void {
  if (attributes && Buffer.byteLength(JSON.stringify(attributes)) > MAX_ATTRIBUTES_BYTES) {
    throw new IdentityError(IdentityErrorCode.AttributesTooLarge, 'attributes must be at most 16 KB of JSON');
  }
}
