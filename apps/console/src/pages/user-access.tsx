import { Button, Code, Stack, Table, Tabs, Text } from '@mantine/core';
import { type AuthzSchemas, type IdentitySchemas, unwrap } from '@platform/web';
import { ApplicationLabel, useApplicationName } from '../lib/application-names';
import { ConfirmAction, formatDate, LoadedTable, RevokeAccess, UserAccessTable } from '../lib/components';
import { ACTIONS } from '../lib/data-table';
import { useAdmin, useTenantLoad } from '../lib/use-admin';
import { reloadAfter, useAction } from '../lib/use-api';

type ExternalIdentityView = IdentitySchemas['schemas']['ExternalIdentityView'];
type IdpView = IdentitySchemas['schemas']['IdpView'];
type GrantView = AuthzSchemas['schemas']['GrantView'];

/**
 * The user page's tabs for linked accounts, grants and the GDPR export: the tab buttons go in the
 * page's Tabs.List, the panels after its own (every tab needs users:read, which the page needs already).
 */
export function UserAccessTabs() {
  return (
    <>
      <Tabs.Tab value="external-identities">Linked accounts</Tabs.Tab>
      <Tabs.Tab value="grants">Grants</Tabs.Tab>
      <Tabs.Tab value="export">Personal data</Tabs.Tab>
    </>
  );
}

export function UserAccessPanels({ userId, status }: { userId: string; status: string }) {
  return (
    <>
      <Tabs.Panel value="external-identities" pt="md">
        <UserExternalIdentities userId={userId} />
      </Tabs.Panel>
      <Tabs.Panel value="grants" pt="md">
        <UserGrants userId={userId} status={status} />
      </Tabs.Panel>
      <Tabs.Panel value="export" pt="md">
        <UserExport userId={userId} />
      </Tabs.Panel>
    </>
  );
}

/** The external accounts (identity providers) the user signs in with; unlinking one ends that way in. */
function UserExternalIdentities({ userId }: { userId: string }) {
  const { identity, has, query } = useAdmin();
  const links = useTenantLoad(
    async (query) =>
      unwrap<ExternalIdentityView[]>(
        await identity.GET('/api/v1/users/{id}/external-identities', { params: { path: { id: userId }, query } }),
      ),
    [userId],
  );
  // Provider names where the admin may read the providers; their ids otherwise.
  const idps = useTenantLoad(async (query) =>
    has('idps:read') ? unwrap<IdpView[]>(await identity.GET('/api/v1/idps', { params: { query } })) : [],
  );
  const providerName = (id: string) => idps.data?.find((idp) => idp.id === id)?.displayName ?? id;
  return (
    <Stack>
      <LoadedTable
        label="Linked accounts of the user"
        columns={['Provider', 'Account there', 'Email there', 'Linked', ACTIONS]}
        list={links}
        empty="No linked accounts."
      >
        {(link) => (
          <>
            <Table.Td>{providerName(link.providerId)}</Table.Td>
            <Table.Td>
              <Code>{link.subject}</Code>
            </Table.Td>
            <Table.Td>{link.email ?? '—'}</Table.Td>
            <Table.Td>{formatDate(link.linkedAt)}</Table.Td>
            <Table.Td>
              {has('users:write') && (
                <ConfirmAction
                  label="Unlink"
                  title={`Unlink the ${providerName(link.providerId)} account?`}
                  message="The user can no longer sign in with it (until they link it again)."
                  onConfirm={reloadAfter(links, () =>
                    identity.DELETE('/api/v1/users/{id}/external-identities/{linkId}', {
                      params: { path: { id: userId, linkId: link.id }, query },
                    }),
                  )}
                />
              )}
            </Table.Td>
          </>
        )}
      </LoadedTable>
    </Stack>
  );
}

/** What the user allowed applications (consent and refresh tokens); revoking ends that application's access. */
function UserGrants({ userId, status }: { userId: string; status: string }) {
  const { authz, query } = useAdmin();
  const grants = useTenantLoad(
    async (query) =>
      unwrap<GrantView[]>(await authz.GET('/api/v1/users/{userId}/grants', { params: { path: { userId }, query } })),
    [userId, status],
  );
  const applicationName = useApplicationName();
  return (
    <UserAccessTable
      list={grants}
      status={status}
      what="grants"
      label="Grants of the user"
      columns={['Application', 'Scopes', 'APIs', 'Granted', 'Expires', ACTIONS]}
      empty="No grants."
    >
      {(grant) => (
        <>
          <Table.Td>
            <ApplicationLabel clientId={grant.clientId} name={applicationName(grant.clientId)} />
          </Table.Td>
          <Table.Td>{grant.scope}</Table.Td>
          <Table.Td>
            {Object.entries(grant.resources).map(([api, scope]) => (
              <Text size="xs" key={api}>
                {api}: {scope}
              </Text>
            ))}
          </Table.Td>
          <Table.Td>{formatDate(grant.createdAt)}</Table.Td>
          <Table.Td>{formatDate(grant.expiresAt)}</Table.Td>
          <Table.Td>
            <RevokeAccess
              list={grants}
              title={`Revoke the grant of ${applicationName(grant.clientId)}?`}
              message="The application's tokens from it stop working; the user is asked to consent again."
              revoke={() =>
                authz.DELETE('/api/v1/users/{userId}/grants/{grantId}', {
                  params: { path: { userId, grantId: grant.id }, query },
                })
              }
            />
          </Table.Td>
        </>
      )}
    </UserAccessTable>
  );
}

/** GDPR art. 15/20: everything held about the user, downloaded as a JSON file. */
function UserExport({ userId }: { userId: string }) {
  const { identity, query } = useAdmin();
  const { busy, run } = useAction();
  const download = async () => {
    const data = await run(async () =>
      unwrap<unknown>(await identity.GET('/api/v1/users/{id}/export', { params: { path: { id: userId }, query } })),
    );
    if (data === undefined) return;
    // A file from the typed call's data (a plain link could not carry the bearer token).
    const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `personal-data-${userId}.json`;
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <Stack align="flex-start">
      <Text size="sm">
        Everything the platform holds about this user (profile, roles, second factors, passkeys, audit trail), as JSON:
        for a data subject&apos;s access or portability request.
      </Text>
      <Button variant="default" loading={busy} onClick={() => void download()}>
        Download personal data (JSON)
      </Button>
    </Stack>
  );
}
