import { Code, Select, type SelectProps, Stack, Text } from '@mantine/core';
import { type Loaded, unwrap } from '@platform/web';
import type { ClientView } from './types';
import { useAdmin, useTenantLoad } from './use-admin';

/** The tenant's applications where the admin may read them (none otherwise): for their names and for choosing one. */
export function useTenantClients(): Loaded<ClientView[]> {
  const { authz, has } = useAdmin();
  return useTenantLoad(async (query) =>
    has('authz-clients:read') ? unwrap<ClientView[]>(await authz.GET('/api/v1/clients', { params: { query } })) : [],
  );
}

/**
 * The name of an application by its client id, for lists that only carry the id (a user's sessions
 * and grants): from the tenant's clients where the admin may read them, the id itself otherwise.
 */
export function useApplicationName(): (clientId: string) => string {
  const clients = useTenantClients();
  return (clientId) => clients.data?.find((c) => c.clientId === clientId)?.name || clientId;
}

/** A choice of one of the tenant's applications (by client id), or none (cleared). */
export function ApplicationSelect(props: Omit<SelectProps, 'data' | 'clearable' | 'searchable'>) {
  const clients = useTenantClients();
  return (
    <Select
      {...props}
      data={(clients.data ?? []).map((c) => ({ value: c.clientId, label: `${c.name} (${c.clientId})` }))}
      clearable
      searchable
    />
  );
}

/** An application as a person recognises it: its name, with its client id beneath (the id alone when unnamed). */
export function ApplicationLabel({ clientId, name }: { clientId: string; name: string }) {
  if (name === clientId) return <Code>{clientId}</Code>;
  return (
    <Stack gap={0}>
      <Text size="sm">{name}</Text>
      <Text size="xs" c="gray.7" ff="monospace">
        {clientId}
      </Text>
    </Stack>
  );
}
