import { decodeCursor } from './cursor';
import { pageById, paginate, readPageById } from './page';

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

describe('readPageById', () => {
  const uuid = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

  it('reads one row more than the limit after the cursor id and pages by id', async () => {
    const read = jest.fn(async () => [1, 2, 3].map((n) => ({ id: uuid(n) })));
    const first = await readPageById({ limit: 2 }, read, (row) => row.id);
    expect(read).toHaveBeenLastCalledWith(3, undefined);
    expect(first.items).toEqual([uuid(1), uuid(2)]);

    await readPageById({ limit: 2, cursor: first.nextCursor! }, read, (row) => row.id);
    expect(read).toHaveBeenLastCalledWith(3, uuid(2));
  });
});
