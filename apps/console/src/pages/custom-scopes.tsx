import {
  Badge,
  Button,
  Code,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  TagsInput,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type AuthzSchemas, unwrap, usePermissions, useSignedIn } from '@platform/web';
import { useState } from 'react';
import { ConfirmAction, ErrorAlert, formatDate, PageTitle, EmptyRow } from '../lib/components';
import { useTenant } from '../lib/tenant';
import type { ClientView } from '../lib/types';
import { useAction, useLoad } from '../lib/use-api';

type CustomScopeView = AuthzSchemas['schemas']['CustomScopeView'];

/** User claims a custom scope can release (the standard profile claims, roles and groups). */
const USER_CLAIMS = [
  'email',
  'email_verified',
  'name',
  'given_name',
  'family_name',
  'nickname',
  'preferred_username',
  'picture',
  'locale',
  'zoneinfo',
  'phone_number',
  'roles',
  'permissions',
  'groups',
];

const sourceText = (source: CustomScopeView['source']) => (Array.isArray(source) ? source.join(', ') : source);

/** Custom scopes and the claim each releases into ID tokens and userinfo (authorization server custom-scopes API). */
export function CustomScopesPage() {
  const { authz } = useSignedIn();
  const { has } = usePermissions();
  const { query } = useTenant();
  const scopes = useLoad(
    async () => unwrap<CustomScopeView[]>(await authz.GET('/api/v1/custom-scopes', { params: { query } })),
    [authz, query.tenantId],
  );
  const [creating, { open, close }] = useDisclosure(false);
  const canWrite = has('authz-claims:write');
  return (
    <>
      <PageTitle actions={canWrite && <Button onClick={open}>Create scope</Button>}>Scopes and claims</PageTitle>
      <Text mb="md" size="sm">
        A custom scope releases one claim into ID tokens and userinfo when an application asks for it: a user claim
        copied, or several as one object.
      </Text>
      <ErrorAlert error={scopes.error} />
      <Table.ScrollContainer minWidth={700}>
        <Table striped highlightOnHover aria-label="Custom scopes">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Scope</Table.Th>
              <Table.Th>Claim</Table.Th>
              <Table.Th>From</Table.Th>
              <Table.Th>For</Table.Th>
              <Table.Th>Created</Table.Th>
              {canWrite && (
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {scopes.data?.map((scope) => (
              <Table.Tr key={scope.id}>
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
                      onConfirm={async () => {
                        unwrap(
                          await authz.DELETE('/api/v1/custom-scopes/{id}', {
                            params: { path: { id: scope.id }, query },
                          }),
                        );
                        scopes.reload();
                      }}
                    />
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
            <EmptyRow shown={scopes.data?.length === 0} columns={canWrite ? 6 : 5}>
              No custom scopes yet.
            </EmptyRow>
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {creating && (
        <CreateScope
          onClose={close}
          onCreated={() => {
            close();
            scopes.reload();
          }}
        />
      )}
    </>
  );
}

function CreateScope({ onClose, onCreated }: { onClose: () => void; onCreated: () => void }) {
  const { authz } = useSignedIn();
  const { has } = usePermissions();
  const { query } = useTenant();
  const { busy, run } = useAction();
  const [scope, setScope] = useState('');
  const [claim, setClaim] = useState('');
  const [source, setSource] = useState<string[]>([]);
  const [clientId, setClientId] = useState<string | null>(null);
  const [description, setDescription] = useState('');
  // Offered when the signed-in admin may list applications; otherwise the scope is for every client.
  const clients = useLoad(
    async () =>
      has('authz-clients:read') ? unwrap<ClientView[]>(await authz.GET('/api/v1/clients', { params: { query } })) : [],
    [authz, query.tenantId],
  );
  return (
    <Modal opened onClose={onClose} title="Create a custom scope" centered size="lg">
      <form
        onSubmit={async (event) => {
          event.preventDefault();
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
        <Stack>
          <TextInput
            label="Scope"
            description="What applications request, e.g. urn:acme:profile"
            required
            value={scope}
            onChange={(e) => setScope(e.currentTarget.value)}
          />
          <TextInput
            label="Claim"
            description="The claim it releases (not one of OpenID Connect's own)"
            required
            value={claim}
            onChange={(e) => setClaim(e.currentTarget.value)}
          />
          <TagsInput
            label="User claims it carries"
            description="One: its value is copied; several: released together as an object"
            data={USER_CLAIMS}
            value={source}
            onChange={setSource}
            required
          />
          <Select
            label="Only for the application"
            placeholder="Every application"
            data={(clients.data ?? []).map((c) => ({ value: c.clientId, label: `${c.name} (${c.clientId})` }))}
            value={clientId}
            onChange={setClientId}
            clearable
            searchable
          />
          <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={source.length === 0}>
              Create
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
