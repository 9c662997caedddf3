import { Anchor, Table, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

/** The header of a last column holding each row's buttons: named for screen readers, blank on screen. */
export const ACTIONS = <VisuallyHidden>Actions</VisuallyHidden>;

/** A row's cell naming it, a link to its page (`to`). */
export function LinkCell({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Table.Td>
      <Anchor component={Link} to={to}>
        {children}
      </Anchor>
    </Table.Td>
  );
}

/** The one row a table shows when it has nothing to list. */
function EmptyRow({ shown, columns, children }: { shown: boolean; columns: number; children: ReactNode }) {
  return shown ? (
    <Table.Tr>
      <Table.Td colSpan={columns}>{children}</Table.Td>
    </Table.Tr>
  ) : null;
}

const byId = (row: unknown) => (row as { id: string }).id;

/**
 * The console's table of a list: one header row (`columns`; a `false` entry, e.g. the actions
 * column of someone who may not write, is left out), a row per item with the cells `children`
 * renders, and `empty` as the one row when the list is empty. With `minWidth` it is a page's main
 * list: striped, rows highlighted on hover, scrolling sideways inside its container on a narrow
 * screen rather than widening the page.
 */
export interface DataTableProps<T> {
  label: string;
  columns: (ReactNode | false)[];
  rows: readonly T[] | undefined;
  /** The row's React key: its `id` unless said otherwise. */
  keyOf?: (row: T) => string;
  empty?: ReactNode;
  minWidth?: number;
  highlightOnHover?: boolean;
  children: (row: T) => ReactNode;
}

export function DataTable<T>({
  label,
  columns,
  rows,
  keyOf = byId,
  empty,
  minWidth,
  highlightOnHover = true,
  children,
}: DataTableProps<T>) {
  const shown = columns.filter((column) => column !== false);
  const list = minWidth !== undefined;
  const table = (
    <Table striped={list} highlightOnHover={list && highlightOnHover} aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          {shown.map((column, index) => (
            <Table.Th key={index}>{column}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows?.map((row) => (
          <Table.Tr key={keyOf(row)}>{children(row)}</Table.Tr>
        ))}
        {empty !== undefined && (
          <EmptyRow shown={rows?.length === 0} columns={shown.length}>
            {empty}
          </EmptyRow>
        )}
      </Table.Tbody>
    </Table>
  );
  return list ? <Table.ScrollContainer minWidth={minWidth}>{table}</Table.ScrollContainer> : table;
}
