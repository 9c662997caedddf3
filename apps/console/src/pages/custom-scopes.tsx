import { Badge, Button, Code, Table, TagsInput, Text } from '@mantine/core';
import { COMMON_PROFILE_CLAIMS } from '@platform/contracts';
import { type AuthzSchemas, unwrap } from '@platform/web';
import { useState } from 'react';
import { ApplicationSelect } from '../lib/application-names';
import { ConfirmAction, formatDate, LoadedTable, PageTitle } from '../lib/components';
import { ACTIONS } from '../lib/data-table';
import { FormDialog } from '../lib/form-dialog';
import { TextField } from '../lib/fields';
import { useAdmin, useTenantLoad } from '../lib/use-admin';
import { reloadAfter, useAction, useChangeDialog } from '../lib/use-api';

type CustomScopeView = AuthzSchemas['schemas']['CustomScopeView'];

/** User claims a custom scope can release (the standard profile claims, roles and groups). */
const USER_CLAIMS = [...COMMON_PROFILE_CLAIMS, 'roles', 'permissions', 'groups'];

const sourceText = (source: CustomScopeView['source']) => (Array.isArray(source) ? source.join(', ') : source);

/** Custom scopes and the claim each releases into ID tokens and userinfo (authorization server custom-scopes API). */
export function CustomScopesPage() {
  const { authz, has, query } = useAdmin();
  const scopes = useTenantLoad(async (query) =>
    unwrap<CustomScopeView[]>(await authz.GET('/api/v1/custom-scopes', { params: { query } })),
  );
  const creating = useChangeDialog(scopes.reload);
  const canWrite = has('authz-claims:write');
  return (
    <>
      <PageTitle actions={canWrite && <Button onClick={creating.open}>Create scope</Button>}>
        Scopes and claims
      </PageTitle>
      <Text mb="md" size="sm">
        A custom scope releases one claim into ID tokens and userinfo when an application asks for it: a user claim
        copied, or several as one object.
      </Text>
      <LoadedTable
        label="Custom scopes"
        columns={['Scope', 'Claim', 'From', 'For', 'Created', canWrite && ACTIONS]}
        list={scopes}
        empty="No custom scopes yet."
        minWidth={700}
      >
        {(scope) => (
          <>
            <Table.Td>
              <Code>{scope.scope}</Code>
              {scope.description && (
                <Text size="xs" c="dimmed">
                  {scope.description}
                </Text>
              )}
            </Table.Td>
            <Table.Td>{scope.claim}</Table.Td>
            <Table.Td>{sourceText(scope.source)}</Table.Td>
            <Table.Td>
              {scope.clientId ? (
                <Badge variant="default">client {scope.clientId}</Badge>
              ) : scope.tenantId ? (
                <Badge variant="default">this tenant</Badge>
              ) : (
                <Badge variant="filled">every tenant</Badge>
              )}
            </Table.Td>
            <Table.Td>{formatDate(scope.createdAt)}</Table.Td>
            {canWrite && (
              <Table.Td>
                <ConfirmAction
                  label="Delete"
                  title={`Delete the scope ${scope.scope}?`}
                  message={`Applications asking for it no longer receive the ${scope.claim} claim.`}
                  onConfirm={reloadAfter(scopes, () =>
                    authz.DELETE('/api/v1/custom-scopes/{id}', { params: { path: { id: scope.id }, query } }),
                  )}
                />
              </Table.Td>
            )}
          </>
        )}
      </LoadedTable>
      {creating.opened && <CreateScope onClose={creating.close} onCreated={creating.done} />}
    </>
  );
}

function CreateScope({ onClose, onCreated }: { onClose: () => void; onCreated: () => void }) {
  const { authz, query } = useAdmin();
  const { busy, run } = useAction();
  const [scope, setScope] = useState('');
  const [claim, setClaim] = useState('');
  const [source, setSource] = useState<string[]>([]);
  const [clientId, setClientId] = useState<string | null>(null);
  const [description, setDescription] = useState('');
  return (
    <FormDialog
      title="Create a custom scope"
      size="lg"
      onClose={onClose}
      busy={busy}
      submitDisabled={source.length === 0}
      onSubmit={async () => {
        const created = await run(
          async () =>
            unwrap<CustomScopeView>(
              await authz.POST('/api/v1/custom-scopes', {
                params: { query },
                body: {
                  scope: scope.trim(),
                  claim: claim.trim(),
                  source: source.length === 1 ? source[0]! : source,
                  ...(clientId ? { clientId } : {}),
                  ...(description.trim() ? { description: description.trim() } : {}),
                },
              }),
            ),
          'Scope created',
        );
        if (created) onCreated();
      }}
    >
      <TextField
        label="Scope"
        description="What applications request, e.g. urn:acme:profile"
        required
        value={scope}
        onChange={setScope}
      />
      <TextField
        label="Claim"
        description="The claim it releases (not one of OpenID Connect's own)"
        required
        value={claim}
        onChange={setClaim}
      />
      <TagsInput
        label="User claims it carries"
        description="One: its value is copied; several: released together as an object"
        data={USER_CLAIMS}
        value={source}
        onChange={setSource}
        required
      />
      {/* Offered when the signed-in admin may list applications; otherwise the scope is for every client. */}
      <ApplicationSelect
        label="Only for the application"
        placeholder="Every application"
        value={clientId}
        onChange={setClientId}
      />
      <TextField label="Description" value={description} onChange={setDescription} />
    </FormDialog>
  );
}
