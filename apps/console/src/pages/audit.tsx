import { Button, Code, Group, Table, TextInput } from '@mantine/core';
import { describeError, unwrap, useLoad } from '@platform/web';
import { type ChangeEvent, type DependencyList, useState } from 'react';
import { ErrorAlert, formatDate, PageTitle } from '../lib/components';
import { PageButtons, useCursorPages } from '../lib/cursor-pages';
import { DataTable } from '../lib/data-table';
import type { AuditEntry, Page, UserView } from '../lib/types';
import { useAdmin } from '../lib/use-admin';

// Ids and JSON details break anywhere: unbroken, they widened the table past the screen.
const BREAKABLE = { overflowWrap: 'anywhere' } as const;

export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <DataTable
      label="Audit entries"
      columns={['When', 'Action', 'Target', 'Actor', 'Details']}
      rows={entries}
      empty="No entries."
      minWidth={700}
      highlightOnHover={false}
    >
      {(entry) => (
        <>
          <Table.Td>{formatDate(entry.createdAt)}</Table.Td>
          <Table.Td>{entry.action}</Table.Td>
          <Table.Td style={BREAKABLE}>
            {entry.targetType} {entry.targetId}
          </Table.Td>
          <Table.Td style={BREAKABLE}>{entry.actor ? `${entry.actorType} ${entry.actor}` : entry.actorType}</Table.Td>
          <Table.Td style={BREAKABLE}>
            <Code>{JSON.stringify(entry.details)}</Code>
          </Table.Td>
        </>
      )}
    </DataTable>
  );
}

/** What an audit trail is filtered by, as the API names it. */
export interface AuditFilters {
  action?: string;
  actor?: string;
  userId?: string;
  from?: string;
  to?: string;
}

const EMPTY_FORM = { action: '', actor: '', user: '', from: '', to: '' };
export type AuditFilterField = keyof typeof EMPTY_FORM;

/** The filter fields: actor and user take an email address or an id; times are the browser's local time. */
const FILTER_FIELDS: {
  name: AuditFilterField;
  label: string;
  description?: string;
  placeholder?: string;
  type?: 'datetime-local';
  w: number;
}[] = [
  { name: 'action', label: 'Action', placeholder: 'identity.user.locked.v1', w: 280 },
  { name: 'actor', label: 'Actor', description: 'Who did it: email or id', w: 240 },
  { name: 'user', label: 'User', description: 'Whom it was about: email or id', w: 240 },
  { name: 'from', label: 'From', description: 'Your local time', type: 'datetime-local', w: 220 },
  { name: 'to', label: 'To', description: 'Before this time', type: 'datetime-local', w: 220 },
];

/** A datetime-local field's value (the browser's time zone) as the instant the API wants. */
const instant = (local: string) => (local ? new Date(local).toISOString() : undefined);

/**
 * The filter form of an audit trail (the tenant's audit log, a user's audit trail): the fields
 * asked for, checked as the API checks them, with Filter, Clear filters and Refresh. Actor and user
 * are ids as the entries show them, or a user's email address (looked up in the tenant).
 */
export function AuditFilterForm({
  label,
  fields,
  onFilter,
  onRefresh,
}: {
  label: string;
  fields: AuditFilterField[];
  onFilter: (filters: AuditFilters) => void;
  onRefresh: () => void;
}) {
  const { identity, query } = useAdmin();
  const [form, setForm] = useState(EMPTY_FORM);
  const [formError, setFormError] = useState<{ field: AuditFilterField; message: string }>();

  /** An id as typed, or the id of the tenant's user with that email address. */
  const userIdOf = async (value: string, field: 'actor' | 'user'): Promise<string | null | undefined> => {
    if (!value) return undefined;
    if (!value.includes('@')) return value;
    const users = unwrap<Page<UserView>>(
      await identity.GET('/api/v1/users', { params: { query: { ...query, email: value, limit: 5 } } }),
    );
    const user = users.items.find((u) => u.email.toLowerCase() === value.toLowerCase());
    if (!user) setFormError({ field, message: 'No user of this tenant has this email address' });
    return user ? user.id : null;
  };

  const set = (field: AuditFilterField) => (event: ChangeEvent<HTMLInputElement>) => {
    const { value } = event.currentTarget;
    setForm((f) => ({ ...f, [field]: value }));
  };

  return (
    <form
      aria-label={label}
      onSubmit={async (event) => {
        event.preventDefault();
        setFormError(undefined);
        const trimmed = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v.trim()])) as typeof form;
        const from = instant(trimmed.from);
        const to = instant(trimmed.to);
        // As the API checks it (invalid_time_range), before asking.
        if (from && to && from >= to) {
          setFormError({ field: 'to', message: 'The end must be after the start' });
          return;
        }
        try {
          const actor = await userIdOf(trimmed.actor, 'actor');
          const userId = await userIdOf(trimmed.user, 'user');
          if (actor === null || userId === null) return;
          onFilter({ action: trimmed.action || undefined, actor, userId, from, to });
        } catch (error) {
          setFormError({ field: 'user', message: describeError(error) });
        }
      }}
    >
      <Group align="start" mb="md" wrap="wrap">
        {FILTER_FIELDS.filter((f) => fields.includes(f.name)).map(({ name, ...field }) => (
          <TextInput
            key={name}
            {...field}
            // As wide as asked, never wider than a phone's screen.
            w={{ base: '100%', xs: field.w }}
            value={form[name]}
            onChange={set(name)}
            error={formError?.field === name && formError.message}
          />
        ))}
      </Group>
      <Group mb="md">
        <Button type="submit" variant="default">
          Filter
        </Button>
        <Button
          variant="subtle"
          onClick={() => {
            setForm(EMPTY_FORM);
            setFormError(undefined);
            onFilter({});
          }}
        >
          Clear filters
        </Button>
        <Button variant="subtle" onClick={onRefresh}>
          Refresh
        </Button>
      </Group>
    </form>
  );
}

/**
 * An audit trail, newest first: the filter form, the entries and cursor paging. `load` asks the
 * API for a page with the filters (a change of `scope` starts again at the first page).
 */
export function AuditTrail({
  label,
  fields,
  scope,
  load,
}: {
  label: string;
  fields: AuditFilterField[];
  scope: DependencyList;
  load: (filters: AuditFilters & { cursor?: string; limit: number }) => Promise<Page<AuditEntry>>;
}) {
  const [filters, setFilters] = useState<AuditFilters>({});
  const pages = useCursorPages();
  const { cursor } = pages;
  const entries = useLoad(() => load({ ...filters, cursor, limit: 50 }), [...scope, filters, cursor]);
  return (
    <>
      <AuditFilterForm
        label={label}
        fields={fields}
        onFilter={(chosen) => {
          pages.restart();
          setFilters(chosen);
        }}
        onRefresh={entries.reload}
      />
      <ErrorAlert error={entries.error} />
      <AuditTable entries={entries.data?.items ?? []} />
      <PageButtons pages={pages} nextCursor={entries.data?.nextCursor} previousLabel="Newer" nextLabel="Older" />
    </>
  );
}

/** The tenant's audit log, filtered by action, actor, user and time range. */
export function AuditPage() {
  const { identity, query } = useAdmin();
  return (
    <>
      <PageTitle>Audit log</PageTitle>
      <AuditTrail
        label="Filter the audit log"
        fields={['action', 'actor', 'user', 'from', 'to']}
        scope={[identity, query.tenantId]}
        load={async (filters) =>
          unwrap<Page<AuditEntry>>(
            await identity.GET('/api/v1/audit-events', { params: { query: { ...query, ...filters } } }),
          )
        }
      />
    </>
  );
}
