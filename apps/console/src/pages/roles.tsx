import { Button, Table, TagsInput, Text } from '@mantine/core';
import { TENANT_AUTHZ_PERMISSIONS, TENANT_IDENTITY_PERMISSIONS } from '@platform/contracts';
import { unwrap } from '@platform/web';
import { useState } from 'react';
import { useParams } from 'react-router';
import { BackLink, ConfirmAction, ErrorAlert, LoadedTable, PageTitle } from '../lib/components';
import { LinkCell } from '../lib/data-table';
import { FormDialog } from '../lib/form-dialog';
import { TextField } from '../lib/fields';
import type { Page, RoleView, UserView } from '../lib/types';
import { useAdmin, useTenantLoad } from '../lib/use-admin';
import { useAction, useChangeDialog } from '../lib/use-api';

/** The permissions tenant roles may hold (platform:*, authz-keys:*, authz-apis:* are refused by the API). */
export const TENANT_PERMISSIONS = [...TENANT_IDENTITY_PERMISSIONS, ...TENANT_AUTHZ_PERMISSIONS];

export function RolesPage() {
  const { identity, has } = useAdmin();
  const roles = useTenantLoad(async (query) =>
    unwrap<RoleView[]>(await identity.GET('/api/v1/roles', { params: { query } })),
  );
  const creating = useChangeDialog(roles.reload);
  return (
    <>
      <PageTitle actions={has('roles:write') && <Button onClick={creating.open}>Create role</Button>}>
        Roles and permissions
      </PageTitle>
      <LoadedTable label="Roles" columns={['Name', 'Description', 'Permissions']} list={roles} minWidth={600}>
        {(role) => (
          <>
            <LinkCell to={`/roles/${role.id}`}>{role.name}</LinkCell>
            <Table.Td>{role.description}</Table.Td>
            <Table.Td>{role.permissions.join(', ')}</Table.Td>
          </>
        )}
      </LoadedTable>
      <RoleForm opened={creating.opened} onClose={creating.close} onSaved={creating.done} />
    </>
  );
}

function RoleForm({
  opened,
  onClose,
  onSaved,
  role,
}: {
  opened: boolean;
  onClose: () => void;
  onSaved: () => void;
  role?: RoleView;
}) {
  const { identity, query } = useAdmin();
  const { busy, run } = useAction();
  const [name, setName] = useState(role?.name ?? '');
  const [description, setDescription] = useState(role?.description ?? '');
  const [permissions, setPermissions] = useState<string[]>(role?.permissions ?? []);
  return (
    <FormDialog
      title={role ? `Edit ${role.name}` : 'Create role'}
      opened={opened}
      onClose={onClose}
      busy={busy}
      submitLabel="Save"
      onSubmit={async () => {
        const saved = await run(
          async () =>
            role
              ? unwrap(
                  await identity.PATCH('/api/v1/roles/{id}', {
                    params: { path: { id: role.id }, query },
                    body: { description, permissions },
                  }),
                )
              : unwrap(
                  await identity.POST('/api/v1/roles', {
                    params: { query },
                    body: { name: name.trim(), description, permissions },
                  }),
                ),
          role ? 'Role saved' : 'Role created',
        );
        if (saved !== undefined) onSaved();
      }}
    >
      {!role && <TextField label="Name" required value={name} onChange={setName} />}
      <TextField label="Description" value={description} onChange={setDescription} />
      <PermissionsInput value={permissions} onChange={setPermissions} />
    </FormDialog>
  );
}

/**
 * The permissions of a role: suggestions while typing (or on focus, ArrowDown), closed once one is
 * added. Left open, the list covered the dialog's Save button, and a click meant for Save picked
 * whichever permission was under it.
 */
function PermissionsInput({ value, onChange }: { value: string[]; onChange: (permissions: string[]) => void }) {
  const [listOpen, setListOpen] = useState(false);
  return (
    <TagsInput
      label="Permissions"
      description="resource:action; pick one or type your API's own"
      data={TENANT_PERMISSIONS}
      value={value}
      onChange={(permissions) => {
        onChange(permissions);
        setListOpen(false);
      }}
      dropdownOpened={listOpen}
      onDropdownOpen={() => setListOpen(true)}
      onDropdownClose={() => setListOpen(false)}
      onSearchChange={(search) => {
        if (search !== '') setListOpen(true);
      }}
    />
  );
}

export function RoleDetailPage() {
  const { id = '' } = useParams();
  const { identity, has, query } = useAdmin();
  const role = useTenantLoad(
    async (query) => unwrap<RoleView>(await identity.GET('/api/v1/roles/{id}', { params: { path: { id }, query } })),
    [id],
  );
  const members = useTenantLoad(
    async (query) =>
      unwrap<Page<UserView> | UserView[]>(
        await identity.GET('/api/v1/roles/{id}/members', { params: { path: { id }, query } }),
      ),
    [id],
  );
  const editing = useChangeDialog(role.reload);
  if (role.error) return <ErrorAlert error={role.error} />;
  if (!role.data) return null;
  const memberList = Array.isArray(members.data) ? members.data : (members.data?.items ?? []);
  return (
    <>
      <BackLink to="/roles">Roles</BackLink>
      <PageTitle
        actions={
          has('roles:write') && (
            <>
              <Button variant="default" onClick={editing.open}>
                Edit
              </Button>
              <ConfirmAction
                label="Delete"
                title={`Delete the role ${role.data.name}?`}
                message="Only a role nobody holds can be deleted."
                variant="filled"
                onConfirm={async () => {
                  unwrap(await identity.DELETE('/api/v1/roles/{id}', { params: { path: { id }, query } }));
                  history.back();
                }}
              />
            </>
          )
        }
      >
        {role.data.name}
      </PageTitle>
      <Text mb="sm">{role.data.description}</Text>
      <Text fw={500}>Permissions</Text>
      <Text mb="md">{role.data.permissions.join(', ') || 'none'}</Text>
      <Text fw={500} mb="xs">
        Members
      </Text>
      <ErrorAlert error={members.error} />
      <Table aria-label="Members of the role">
        <Table.Tbody>
          {memberList.map((user) => (
            <Table.Tr key={user.id}>
              <LinkCell to={`/users/${user.id}`}>{user.email}</LinkCell>
            </Table.Tr>
          ))}
          {memberList.length === 0 && (
            <Table.Tr>
              <Table.Td>Nobody holds this role directly.</Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      {editing.opened && <RoleForm opened role={role.data} onClose={editing.close} onSaved={editing.done} />}
    </>
  );
}
