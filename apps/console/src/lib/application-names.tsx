import { Code, Stack, Text } from '@mantine/core';
import { unwrap, useLoad, usePermissions, useSignedIn } from '@platform/web';
import { useTenant } from './tenant';
import type { ClientView } from './types';

/**
 * The name of an application by its client id, for lists that only carry the id (a user's sessions
 * and grants): from the tenant's clients where the admin may read them, the id itself otherwise.
 */
export function useApplicationName(): (clientId: string) => string {
  const { authz } = useSignedIn();
  const { has } = usePermissions();
  const { query } = useTenant();
  const clients = useLoad(
    async () =>
      has('authz-clients:read') ? unwrap<ClientView[]>(await authz.GET('/api/v1/clients', { params: { query } })) : [],
    [authz, query.tenantId],
  );
  return (clientId) => clients.data?.find((c) => c.clientId === clientId)?.name || clientId;
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
