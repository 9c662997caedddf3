import { Button, Code, Group, Table, TextInput } from '@mantine/core';
import { unwrap, useSignedIn } from '@platform/web';
import { useState } from 'react';
import { ErrorAlert, formatDate, PageTitle } from '../lib/components';
import { useTenant } from '../lib/tenant';
import type { AuditEntry, Page } from '../lib/types';
import { useLoad } from '../lib/use-api';

export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table striped aria-label="Audit entries">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Target</Table.Th>
            <Table.Th>Actor</Table.Th>
            <Table.Th>Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => (
            <Table.Tr key={entry.id}>
              <Table.Td>{formatDate(entry.createdAt)}</Table.Td>
              <Table.Td>{entry.action}</Table.Td>
              <Table.Td>
                {entry.targetType} {entry.targetId}
              </Table.Td>
              <Table.Td>{entry.actor ? `${entry.actorType} ${entry.actor}` : entry.actorType}</Table.Td>
              <Table.Td>
                <Code>{JSON.stringify(entry.details)}</Code>
              </Table.Td>
            </Table.Tr>
          ))}
          {entries.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={5}>No entries.</Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The tenant's audit trail, newest first, filtered by action, with cursor paging. */
export function AuditPage() {
  const { identity } = useSignedIn();
  const { query } = useTenant();
  const [action, setAction] = useState('');
  const [filter, setFilter] = useState<string | undefined>();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors.at(-1);
  const entries = useLoad(
    async () =>
      unwrap<Page<AuditEntry>>(
        await identity.GET('/api/v1/audit-events', {
          params: { query: { ...query, action: filter, cursor, limit: 50 } },
        }),
      ),
    [identity, query.tenantId, filter, cursor],
  );
  return (
    <>
      <PageTitle>Audit log</PageTitle>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setCursors([undefined]);
          setFilter(action.trim() || undefined);
        }}
      >
        <Group align="end" mb="md">
          <TextInput
            label="Action"
            placeholder="identity.user.locked.v1"
            value={action}
            onChange={(e) => setAction(e.currentTarget.value)}
            w={320}
          />
          <Button type="submit" variant="default">
            Filter
          </Button>
          <Button variant="subtle" onClick={entries.reload}>
            Refresh
          </Button>
        </Group>
      </form>
      <ErrorAlert error={entries.error} />
      <AuditTable entries={entries.data?.items ?? []} />
      <Group mt="md">
        <Button variant="default" disabled={cursors.length < 2} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Newer
        </Button>
        <Button
          variant="default"
          disabled={!entries.data?.nextCursor}
          onClick={() => setCursors((c) => [...c, entries.data!.nextCursor!])}
        >
          Older
        </Button>
      </Group>
    </>
  );
}
