import { Button, Card, Group, MultiSelect, SimpleGrid, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { unwrap } from '@platform/web';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { ApplicationLabel, useApplicationName } from '../lib/application-names';
import {
  BackLink,
  ConfirmAction,
  ErrorAlert,
  formatDate,
  PageTitle,
  RevokeAccess,
  UserAccessTable,
} from '../lib/components';
import { ACTIONS, DataTable } from '../lib/data-table';
import type { AuditEntry, Page, RoleView, SessionView, UserView } from '../lib/types';
import { useAdmin, useTenantLoad } from '../lib/use-admin';
import { reloadAfter, useAction } from '../lib/use-api';
import { AuditTrail } from './audit';
import { UserAccessPanels, UserAccessTabs } from './user-access';
import { UserDevices } from './user-devices';
import { ImpersonateAction } from './user-impersonate';
import { StatusBadge } from './users';

/** One user: profile, status actions with reason, MFA reset, impersonation, roles, sessions, devices, audit trail. */
export function UserDetailPage() {
  const { id = '' } = useParams();
  const { identity, has } = useAdmin();
  const user = useTenantLoad(
    async (query) => unwrap<UserView>(await identity.GET('/api/v1/users/{id}', { params: { path: { id }, query } })),
    [id],
  );
  // Counts the status actions: a lock, disable or delete ends the user's sessions (a moment later).
  const [statusChanges, setStatusChanges] = useState(0);
  if (user.error) return <ErrorAlert error={user.error} />;
  if (!user.data) return null;
  const u = user.data;
  return (
    <>
      <BackLink to="/users">Users</BackLink>
      <PageTitle actions={has('users:impersonate') && <ImpersonateAction userId={u.id} email={u.email} />}>
        {u.email}
      </PageTitle>
      <SimpleGrid cols={{ base: 1, md: 2 }} mb="md">
        <Card withBorder>
          <Stack gap={4}>
            <Group>
              <Text fw={500}>Status</Text>
              <StatusBadge status={u.status} />
            </Group>
            {u.statusReason && <Text size="sm">Reason: {u.statusReason}</Text>}
            {u.lockedUntil && <Text size="sm">Locked until {formatDate(u.lockedUntil)}</Text>}
            <Text size="sm">Email verified: {u.emailVerified ? 'yes' : 'no'}</Text>
            <Text size="sm">Must change password: {u.mustChangePassword ? 'yes' : 'no'}</Text>
            <Text size="sm">Created {formatDate(u.createdAt)}</Text>
            <Text size="sm">Last sign-in {formatDate(u.lastLoginAt)}</Text>
            <Text size="sm" c="dimmed">
              Id {u.id}
            </Text>
          </Stack>
        </Card>
        {has('users:write') && (
          <StatusActions
            user={u}
            onChanged={() => {
              user.reload();
              setStatusChanges((n) => n + 1);
            }}
          />
        )}
      </SimpleGrid>
      <Tabs defaultValue="roles" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="roles">Roles</Tabs.Tab>
          <Tabs.Tab value="sessions">Sessions</Tabs.Tab>
          <Tabs.Tab value="devices">Devices</Tabs.Tab>
          <UserAccessTabs />
          {has('audit:read') && <Tabs.Tab value="audit">Audit trail</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="roles" pt="md">
          <UserRoles userId={u.id} />
        </Tabs.Panel>
        <Tabs.Panel value="sessions" pt="md">
          <UserSessions userId={u.id} status={u.status} changes={statusChanges} />
        </Tabs.Panel>
        <Tabs.Panel value="devices" pt="md">
          <UserDevices userId={u.id} status={u.status} />
        </Tabs.Panel>
        <UserAccessPanels userId={u.id} status={u.status} />
        {has('audit:read') && (
          <Tabs.Panel value="audit" pt="md">
            <UserAudit userId={u.id} />
          </Tabs.Panel>
        )}
      </Tabs>
    </>
  );
}

/** The status changes, in the order their buttons stand; each is offered from the statuses in `from`. */
const STATUS_CHANGES: {
  action: 'lock' | 'unlock' | 'disable' | 'enable';
  label: string;
  from: UserView['status'][];
  message: string;
  color?: string;
  done: string;
}[] = [
  {
    action: 'lock',
    label: 'Lock',
    from: ['active'],
    message: 'They cannot sign in until unlocked; their sessions and refresh tokens end.',
    done: 'User locked',
  },
  {
    action: 'unlock',
    label: 'Unlock',
    from: ['locked'],
    message: 'They can sign in again.',
    color: 'blue',
    done: 'User unlocked',
  },
  {
    action: 'disable',
    label: 'Disable',
    from: ['active', 'locked'],
    message: 'They cannot sign in until enabled; their sessions end.',
    done: 'User disabled',
  },
  {
    action: 'enable',
    label: 'Enable',
    from: ['disabled'],
    message: 'They can sign in again.',
    color: 'blue',
    done: 'User enabled',
  },
];

function StatusActions({ user, onChanged }: { user: UserView; onChanged: () => void }) {
  const { identity, query } = useAdmin();
  const path = { id: user.id };
  // Throws so the confirmation dialog shows the API's message; the notification says it worked.
  const act = async (call: () => Promise<{ response: Response; error?: unknown }>, done: string) => {
    unwrap(await call());
    notifications.show({ color: 'green', message: done });
    onChanged();
  };
  return (
    <Card withBorder>
      <Title order={3} size="h5" mb="sm">
        Actions
      </Title>
      <Group gap="xs">
        {STATUS_CHANGES.filter((change) => change.from.includes(user.status)).map((change) => (
          <ConfirmAction
            key={change.action}
            label={change.label}
            title={`${change.label} this user?`}
            message={change.message}
            reasonLabel="Reason"
            color={change.color}
            onConfirm={(reason) =>
              act(
                () =>
                  identity.POST(`/api/v1/users/{id}/${change.action}`, {
                    params: { path, query },
                    body: { reason },
                  }),
                change.done,
              )
            }
          />
        ))}
        <ConfirmAction
          label="Reset MFA"
          title="Reset this user's second factor?"
          message="Their authenticator app and recovery codes stop working; they enrol again at next sign-in."
          onConfirm={() =>
            act(() => identity.POST('/api/v1/users/{id}/mfa/reset', { params: { path, query } }), 'MFA reset')
          }
        />
        {!user.emailVerified && (
          <ConfirmAction
            label="Send verification email"
            title="Send a verification email?"
            message={`A link to confirm ${user.email} is sent to that address.`}
            color="blue"
            onConfirm={() =>
              act(
                () => identity.POST('/api/v1/users/{id}/verify-email/send', { params: { path, query } }),
                'Verification email sent',
              )
            }
          />
        )}
        {user.status !== 'deleted' && (
          <ConfirmAction
            label="Delete"
            title="Delete this user?"
            message="They cannot sign in any more; their data is kept until erased."
            reasonLabel="Reason"
            variant="filled"
            onConfirm={(reason) =>
              act(
                () => identity.DELETE('/api/v1/users/{id}', { params: { path, query }, body: { reason } }),
                'User deleted',
              )
            }
          />
        )}
      </Group>
    </Card>
  );
}

function UserRoles({ userId }: { userId: string }) {
  const { identity, has, query } = useAdmin();
  const { busy, run } = useAction();
  const path = { id: userId };
  const held = useTenantLoad(
    async (query) => unwrap<RoleView[]>(await identity.GET('/api/v1/users/{id}/roles', { params: { path, query } })),
    [userId],
  );
  const all = useTenantLoad(async (query) =>
    has('roles:read') ? unwrap<RoleView[]>(await identity.GET('/api/v1/roles', { params: { query } })) : [],
  );
  const [adding, setAdding] = useState<string[]>([]);
  const heldIds = new Set((held.data ?? []).map((r) => r.id));
  return (
    <Stack>
      <ErrorAlert error={held.error ?? all.error} />
      <DataTable
        label="Roles of the user"
        columns={['Role', 'Permissions', ACTIONS]}
        rows={held.data}
        empty="No roles."
      >
        {(role) => (
          <>
            <Table.Td>{role.name}</Table.Td>
            <Table.Td>{role.permissions.join(', ')}</Table.Td>
            <Table.Td>
              {has('roles:write') && (
                <ConfirmAction
                  label="Remove"
                  title={`Remove the role ${role.name}?`}
                  message="The user loses its permissions at their next token."
                  onConfirm={reloadAfter(held, () =>
                    identity.DELETE('/api/v1/users/{id}/roles/{roleId}', {
                      params: { path: { id: userId, roleId: role.id }, query },
                    }),
                  )}
                />
              )}
            </Table.Td>
          </>
        )}
      </DataTable>
      {has('roles:write') && (
        <Group align="end">
          <MultiSelect
            label="Assign roles"
            placeholder="Choose roles"
            data={(all.data ?? []).filter((r) => !heldIds.has(r.id)).map((r) => ({ value: r.id, label: r.name }))}
            value={adding}
            onChange={setAdding}
            searchable
            w={320}
          />
          <Button
            disabled={adding.length === 0}
            loading={busy}
            onClick={async () => {
              const done = await run(
                async () =>
                  unwrap(
                    await identity.POST('/api/v1/users/{id}/roles', {
                      params: { path, query },
                      body: { roleIds: adding },
                    }),
                  ),
                'Roles assigned',
              );
              if (done) {
                setAdding([]);
                held.reload();
              }
            }}
          >
            Assign
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function UserSessions({ userId, status, changes }: { userId: string; status: string; changes: number }) {
  const { authz, query } = useAdmin();
  const applicationName = useApplicationName();
  const sessions = useTenantLoad(
    async (query) =>
      unwrap<SessionView[]>(
        await authz.GET('/api/v1/users/{userId}/sessions', { params: { path: { userId }, query } }),
      ),
    [userId, status],
  );
  // A status change reloads the list (above). The authorization server ends the sessions when the
  // lifecycle event of a lock (disable, delete) reaches it, a moment later: an active user's list
  // asks again every 2 s, for up to a minute, until none is left.
  const none = sessions.data?.length === 0;
  const { reload } = sessions;
  useEffect(() => {
    if (!changes || none || status !== 'active') return;
    let asked = 0;
    const timer = setInterval(() => {
      reload();
      if (++asked >= 30) clearInterval(timer);
    }, 2_000);
    return () => clearInterval(timer);
  }, [changes, none, status, reload]);
  return (
    <UserAccessTable
      list={sessions}
      status={status}
      what="sessions"
      label="Sessions of the user"
      columns={['Signed in', 'Methods', 'Applications', 'Expires', ACTIONS]}
      empty="No active sessions."
    >
      {(session) => (
        <>
          <Table.Td>{formatDate(session.signedInAt)}</Table.Td>
          <Table.Td>{session.amr.join(', ')}</Table.Td>
          <Table.Td>
            <Stack gap="xs">
              {session.clients.map((c) => (
                <ApplicationLabel key={c.clientId} clientId={c.clientId} name={applicationName(c.clientId)} />
              ))}
            </Stack>
          </Table.Td>
          <Table.Td>{formatDate(session.expiresAt)}</Table.Td>
          <Table.Td>
            <RevokeAccess
              list={sessions}
              title="End this session?"
              message="The user is signed out of it, and the applications' refresh tokens from it stop working."
              revoke={() =>
                authz.DELETE('/api/v1/users/{userId}/sessions/{sessionId}', {
                  params: { path: { userId, sessionId: session.id }, query },
                })
              }
            />
          </Table.Td>
        </>
      )}
    </UserAccessTable>
  );
}

/** What happened to the user, filtered by action, actor and time range (the audit log's filters but the user). */
function UserAudit({ userId }: { userId: string }) {
  const { identity, query } = useAdmin();
  return (
    <AuditTrail
      label="Filter the user's audit trail"
      fields={['action', 'actor', 'from', 'to']}
      scope={[identity, userId, query.tenantId]}
      load={async (filters) =>
        unwrap<Page<AuditEntry>>(
          await identity.GET('/api/v1/users/{id}/audit-events', {
            params: { path: { id: userId }, query: { ...query, ...filters } },
          }),
        )
      }
    />
  );
}
