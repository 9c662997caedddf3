import { IdentityError, IdentityErrorCode } from './identity-error';

/** Keyset-pagination position: the sort value and id of the last item returned. */
export interface Cursor {
  value: string;
  id: string;
}

/**
 * A timestamp column as a keyset sort key, at the precision of the cursor: the cursor carries a
 * JavaScript Date (milliseconds), Postgres keeps microseconds. Ordered and compared by the raw
 * column, the last row of a page would come back on the next one (ascending) and the rows of its
 * millisecond after it be skipped (descending). Order and compare by this, then by id, which breaks
 * the ties within a millisecond.
 */
export function timestampSortKey(column: string): string {
  return `date_trunc('milliseconds', ${column})`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.value, cursor.id])).toString('base64url');
}

/** Opaque to clients; anything that is not one of ours is a 400 invalid_cursor. */
export function decodeCursor(raw: string): Cursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      parsed[0].length <= 400 &&
      UUID.test(parsed[1])
    ) {
      return { value: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through
  }
  throw new IdentityError(IdentityErrorCode.InvalidCursor, 'The cursor is not valid; start again without it');
}
