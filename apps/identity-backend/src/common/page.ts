import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { type Cursor, decodeCursor, encodeCursor } from './cursor';

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  cursor?: string;
}

/**
 * The one way a list becomes a page: repositories read up to one row more than `limit`, which tells
 * whether a next page exists, and the last row shown is where the next page starts (`cursorOf`:
 * its sort key and id).
 */
export function paginate<T, V = T>(
  rows: T[],
  limit: number,
  cursorOf: (last: T) => Cursor,
  view: (row: T) => V = (row) => row as unknown as V,
): Page<V> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(view),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}

/** A page of a list ordered by id alone (the members of a role or a group). */
export function pageById<T extends { id: string }, V>(rows: T[], limit: number, view: (row: T) => V): Page<V> {
  return paginate(rows, limit, (last) => ({ value: '', id: last.id }), view);
}

/**
 * The page `query` asks for of a list ordered by id: `read` fetches one row more than the limit,
 * after the id the cursor names (none on the first page).
 */
export async function readPageById<T extends { id: string }, V>(
  query: PageQueryDto,
  read: (limit: number, afterId: string | undefined) => Promise<T[]>,
  view: (row: T) => V,
): Promise<Page<V>> {
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  return pageById(await read(query.limit + 1, after?.id), query.limit, view);
}
