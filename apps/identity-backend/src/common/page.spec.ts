import { decodeCursor } from './cursor';
import { pageById, paginate } from './page';

describe('paginate', () => {
  const uuid = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
  const rows = [1, 2, 3].map((n) => ({ id: uuid(n), at: String(n) }));

  it('shows `limit` rows and starts the next page after the last one shown', () => {
    const page = paginate(
      rows,
      2,
      (last) => ({ value: last.at, id: last.id }),
      (row) => row.id,
    );
    expect(page.items).toEqual([uuid(1), uuid(2)]);
    expect(decodeCursor(page.nextCursor!)).toEqual({ value: '2', id: uuid(2) });
  });

  it('has no next page when the extra row is missing', () => {
    expect(paginate(rows, 3, (last) => ({ value: last.at, id: last.id }))).toEqual({ items: rows, nextCursor: null });
    expect(pageById([], 10, (row) => row)).toEqual({ items: [], nextCursor: null });
  });
});
