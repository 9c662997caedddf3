import {
  Alert,
  Autocomplete,
  Badge,
  Button,
  Code,
  Group,
  Modal,
  NumberInput,
  Stack,
  Table,
  TagsInput,
  Text,
} from '@mantine/core';
import { type AuthzSchemas, unwrap, useLoad } from '@platform/web';
import { useState } from 'react';
import { ApplicationSelect } from '../lib/application-names';
import { ConfirmAction, CopyField, formatDate, LoadedTable, PageTitle } from '../lib/components';
import { ACTIONS } from '../lib/data-table';
import { DialogForm } from '../lib/form-dialog';
import { TextField } from '../lib/fields';
import type { ResourceServerView } from '../lib/types';
import { useAdmin, useTenantLoad } from '../lib/use-admin';
import { reloadAfter, useAction, useChangeDialog } from '../lib/use-api';
import { CONSOLE_SCOPES } from '../scopes';

type ApiKeyView = AuthzSchemas['schemas']['ApiKeyView'];
type ApiKeyWithSecretView = AuthzSchemas['schemas']['ApiKeyWithSecretView'];

const stateOf = (key: ApiKeyView): { label: string; color: string } =>
  key.revokedAt
    ? { label: 'revoked', color: 'red' }
    : key.expiresAt && new Date(key.expiresAt) <= new Date()
      ? { label: 'expired', color: 'gray' }
      : { label: 'active', color: 'green' };

/** Long-lived, scoped keys for scripts and services: shown once on creation, revocable (authorization server api-keys API). */
export function ApiKeysPage() {
  const { authz, has, query } = useAdmin();
  const keys = useTenantLoad(async (query) =>
    unwrap<ApiKeyView[]>(await authz.GET('/api/v1/api-keys', { params: { query } })),
  );
  const creating = useChangeDialog(keys.reload);
  const canWrite = has('authz-apikeys:write');
  return (
    <>
      <PageTitle actions={canWrite && <Button onClick={creating.open}>Create API key</Button>}>API keys</PageTitle>
      <LoadedTable
        label="API keys"
        columns={['Name', 'Key starts with', 'API and scopes', 'Status', 'Expires', 'Last used', canWrite && ACTIONS]}
        list={keys}
        empty="No API keys yet."
        minWidth={800}
      >
        {(key) => {
          const state = stateOf(key);
          return (
            <>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {key.name}
                </Text>
                {key.clientId && (
                  <Text size="xs" c="dimmed">
                    client {key.clientId}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Code>{key.prefix}</Code>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{key.audience}</Text>
                <Text size="xs">{key.scopes.join(' ')}</Text>
              </Table.Td>
              <Table.Td>
                <Badge variant="filled" color={state.color}>
                  {state.label}
                </Badge>
              </Table.Td>
              <Table.Td>{formatDate(key.expiresAt)}</Table.Td>
              <Table.Td>{formatDate(key.lastUsedAt)}</Table.Td>
              {canWrite && (
                <Table.Td>
                  {!key.revokedAt && (
                    <ConfirmAction
                      label="Revoke"
                      title={`Revoke the key ${key.name}?`}
                      message="It stops working at once, everywhere it is used. This cannot be undone."
                      onConfirm={reloadAfter(keys, () =>
                        authz.DELETE('/api/v1/api-keys/{id}', { params: { path: { id: key.id }, query } }),
                      )}
                    />
                  )}
                </Table.Td>
              )}
            </>
          );
        }}
      </LoadedTable>
      {creating.opened && <CreateApiKey onClose={creating.done} />}
    </>
  );
}

/** The form, then the key itself once (the platform keeps only its hash). */
function CreateApiKey({ onClose }: { onClose: () => void }) {
  const { authz, session, isPlatformAdmin, query } = useAdmin();
  const { busy, run } = useAction();
  const { identityApiAudience, authzApiAudience } = session.settings;
  const [name, setName] = useState('');
  const [audience, setAudience] = useState(identityApiAudience);
  const [scopes, setScopes] = useState<string[]>([]);
  const [clientId, setClientId] = useState<string | null>(null);
  const [days, setDays] = useState<number | string>('');
  const [created, setCreated] = useState<ApiKeyWithSecretView>();
  // Every API for platform administrators; the platform's own two for everyone else (the list is platform-only).
  const apis = useLoad(
    async () => (isPlatformAdmin ? unwrap<ResourceServerView[]>(await authz.GET('/api/v1/resource-servers')) : []),
    [authz, isPlatformAdmin],
  );
  const api = apis.data?.find((a) => a.identifier === audience);
  const prefix = audience === identityApiAudience ? 'identity.' : audience === authzApiAudience ? 'authz.' : null;
  const scopeSuggestions = api?.scopes ?? (prefix ? CONSOLE_SCOPES.filter((s) => s.startsWith(prefix)) : []);
  const audiences = apis.data?.length ? apis.data.map((a) => a.identifier) : [identityApiAudience, authzApiAudience];

  const create = async () => {
    const key = await run(
      async () =>
        unwrap<ApiKeyWithSecretView>(
          await authz.POST('/api/v1/api-keys', {
            params: { query },
            body: {
              name: name.trim(),
              audience: audience.trim(),
              scopes,
              ...(clientId ? { clientId } : {}),
              ...(typeof days === 'number'
                ? { expiresAt: new Date(Date.now() + days * 86_400_000).toISOString() }
                : {}),
            },
          }),
        ),
      'API key created',
    );
    if (key) setCreated(key);
  };

  return (
    <Modal opened onClose={onClose} title="Create an API key" centered size="lg" closeOnClickOutside={!created}>
      {created ? (
        <Stack>
          <Alert color="orange" title="Copy the key now">
            It is shown only this once: the platform keeps only a hash of it.
          </Alert>
          <CopyField label="API key" value={created.key} />
          <Text size="sm">
            Exchange it for an access token to {created.audience}, or send it to the introspection endpoint.
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <DialogForm onSubmit={create} onCancel={onClose} busy={busy} submitDisabled={scopes.length === 0}>
          <TextField
            label="Name"
            description="What uses it, e.g. Billing export job"
            required
            value={name}
            onChange={setName}
          />
          <Autocomplete
            label="API"
            description="The API (resource server identifier) the key is for"
            required
            data={audiences}
            value={audience}
            onChange={(value) => {
              setAudience(value);
              setScopes([]);
            }}
          />
          <TagsInput
            label="Scopes"
            description="Scopes of that API; press Enter after each"
            data={scopeSuggestions}
            value={scopes}
            onChange={setScopes}
            required
          />
          <ApplicationSelect
            label="Belongs to the application"
            placeholder="None: the tenant"
            description="Its scopes then stay within the application's registration"
            value={clientId}
            onChange={setClientId}
          />
          <NumberInput
            label="Valid for (days)"
            description="Empty: the platform's longest lifetime"
            min={1}
            max={3650}
            value={days}
            onChange={setDays}
          />
        </DialogForm>
      )}
    </Modal>
  );
}
