import { Button, Group } from '@mantine/core';
import { useState } from 'react';

/**
 * Going through a cursor-paged list (common/page.ts of the identity backend): the `cursor` of the
 * page shown, and the cursors of the pages before it, to go back.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  return {
    cursor: cursors.at(-1),
    hasPrevious: cursors.length > 1,
    previous: () => setCursors((c) => c.slice(0, -1)),
    next: (cursor: string) => setCursors((c) => [...c, cursor]),
    /** Back to the first page (a new search). */
    restart: () => setCursors([undefined]),
  };
}

/** The buttons below a cursor-paged list: back one page, and on to `nextCursor` (when the list has more). */
export function PageButtons({
  pages,
  nextCursor,
  previousLabel,
  nextLabel,
}: {
  pages: ReturnType<typeof useCursorPages>;
  nextCursor: string | null | undefined;
  previousLabel: string;
  nextLabel: string;
}) {
  return (
    <Group mt="md">
      <Button variant="default" disabled={!pages.hasPrevious} onClick={pages.previous}>
        {previousLabel}
      </Button>
      <Button variant="default" disabled={!nextCursor} onClick={() => nextCursor && pages.next(nextCursor)}>
        {nextLabel}
      </Button>
    </Group>
  );
}
