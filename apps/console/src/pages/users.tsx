import { Badge, Button, Group, Select, Table } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { unwrap } from '@platform/web';
import { useState } from 'react';
import { ErrorAlert, formatDate, PageTitle } from '../lib/components';
import { DataTable, LinkCell } from '../lib/data-table';
import { PageButtons, useCursorPages } from '../lib/cursor-pages';
import { FormDialog } from '../lib/form-dialog';
import { PasswordField, SwitchField, TextField } from '../lib/fields';
import type { Page, UserView } from '../lib/types';
import { useAdmin, useTenantLoad } from '../lib/use-admin';
import { useCreateThenOpen } from '../lib/use-api';

const STATUS_COLORS: Record<UserView['status'], string> = {
  active: 'green',
  locked: 'orange',
  disabled: 'gray',
  deleted: 'red',
};

export const StatusBadge = ({ status }: { status: UserView['status'] }) => (
  <Badge color={STATUS_COLORS[status]} variant="filled">
    {status}
  </Badge>
);

type Status = UserView['status'];

/** Users: search by email prefix and status, cursor paging, create with a temporary password. */
export function UsersPage() {
  const { identity, has } = useAdmin();
  const [email, setEmail] = useState('');
  const [status, setStatus] = useState<Status | null>(null);
  const [search, setSearch] = useState<{ email?: string; status?: Status }>({});
  const pages = useCursorPages();
  const { cursor } = pages;
  const users = useTenantLoad(
    async (query) =>
      unwrap<Page<UserView>>(
        await identity.GET('/api/v1/users', {
          params: { query: { ...query, ...search, cursor, limit: 20, sort: 'email' } },
        }),
      ),
    [search, cursor],
  );
  const [creating, { open, close }] = useDisclosure(false);

  return (
    <>
      <PageTitle
        actions={
          has('users:write') && (
            <Button onClick={open} size="sm">
              Create user
            </Button>
          )
        }
      >
        Users
      </PageTitle>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          pages.restart();
          setSearch({ email: email.trim() || undefined, status: status ?? undefined });
        }}
      >
        <Group align="end" mb="md" wrap="wrap">
          <TextField label="Email starts with" value={email} onChange={setEmail} />
          <Select
            label="Status"
            placeholder="Any"
            clearable
            data={['active', 'locked', 'disabled', 'deleted']}
            value={status}
            onChange={(value) => setStatus(value as Status | null)}
          />
          <Button type="submit" variant="default">
            Search
          </Button>
        </Group>
      </form>
      <ErrorAlert error={users.error} />
      <DataTable
        label="Users"
        columns={['Email', 'Username', 'Status', 'Last sign-in']}
        rows={users.data?.items}
        empty="No users match."
        minWidth={600}
      >
        {(user) => (
          <>
            <LinkCell to={`/users/${user.id}`}>{user.email}</LinkCell>
            <Table.Td>{user.username ?? '—'}</Table.Td>
            <Table.Td>
              <StatusBadge status={user.status} />
            </Table.Td>
            <Table.Td>{formatDate(user.lastLoginAt)}</Table.Td>
          </>
        )}
      </DataTable>
      <PageButtons
        pages={pages}
        nextCursor={users.data?.nextCursor}
        previousLabel="Previous page"
        nextLabel="Next page"
      />
      <CreateUser opened={creating} onClose={close} />
    </>
  );
}

function CreateUser({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { identity, query } = useAdmin();
  const { busy, create } = useCreateThenOpen('/users', onClose);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [temporary, setTemporary] = useState(true);
  return (
    <FormDialog
      title="Create user"
      opened={opened}
      onClose={onClose}
      busy={busy}
      onSubmit={() =>
        create(
          async () =>
            unwrap<UserView>(
              await identity.POST('/api/v1/users', {
                // This route takes the tenant in the body (a platform administrator's ?tenantId= is not read).
                body: {
                  email: email.trim(),
                  password,
                  temporaryPassword: temporary,
                  emailVerified: true,
                  ...(query.tenantId ? { tenantId: query.tenantId } : {}),
                },
              }),
            ),
          'User created',
        )
      }
    >
      <TextField label="Email" type="email" required value={email} onChange={setEmail} />
      <PasswordField
        label="Password"
        description="At least 12 characters; the user changes it at first sign-in when temporary"
        required
        minLength={8}
        maxLength={128}
        value={password}
        onChange={setPassword}
      />
      <SwitchField
        label="Temporary password (must be changed at first sign-in)"
        checked={temporary}
        onChange={setTemporary}
      />
    </FormDialog>
  );
}
