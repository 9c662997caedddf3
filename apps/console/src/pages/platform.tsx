import {
  Badge,
  Button,
  Card,
  Code,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { unwrap, useLoad, useSignedIn } from '@platform/web';
import { useState } from 'react';
import { ConfirmAction, ErrorAlert, formatDate, PageTitle } from '../lib/components';
import type { ResourceServerView, SigningKey } from '../lib/types';
import { reloadAfter } from '../lib/use-api';

const STATUS_COLOR: Record<string, string> = { next: 'blue', active: 'green', retired: 'gray' };

/** Signing keys per algorithm family, as a timeline (next → active → retired), with rotation. */
export function SigningKeysPage() {
  const { authz } = useSignedIn();
  const [alg, setAlg] = useState<string>('ES256');
  const keys = useLoad(async () => unwrap<SigningKey[]>(await authz.GET('/api/v1/signing-keys')), [authz]);
  const families = [...new Set((keys.data ?? []).map((k) => k.alg))].sort();
  return (
    <>
      <PageTitle
        actions={
          <Group align="end">
            <Select
              label="Algorithm"
              data={['ES256', 'RS256', 'EdDSA']}
              value={alg}
              onChange={(value) => setAlg(value ?? 'ES256')}
              w={140}
            />
            <ConfirmAction
              label="Rotate"
              title={`Rotate the ${alg} signing key?`}
              message="The next key becomes active and a new next key is published; the old one stays in the JWKS until its tokens expire."
              color="orange"
              variant="filled"
              onConfirm={reloadAfter(keys, () =>
                authz.POST('/api/v1/signing-keys/rotate', { body: { alg: alg as 'ES256' | 'RS256' | 'EdDSA' } }),
              )}
            />
          </Group>
        }
      >
        Signing keys
      </PageTitle>
      <ErrorAlert error={keys.error} />
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        {families.map((family) => (
          <Card withBorder key={family}>
            <Title order={3} size="h5" mb="sm">
              {family}
            </Title>
            <Timeline bulletSize={14} lineWidth={2}>
              {(keys.data ?? [])
                .filter((k) => k.alg === family)
                .sort((a, b) => String(b.createdAt ?? '').localeCompare(String(a.createdAt ?? '')))
                .map((key) => (
                  <Timeline.Item
                    key={key.kid}
                    color={STATUS_COLOR[key.status]}
                    title={
                      <Group gap="xs">
                        <Badge color={STATUS_COLOR[key.status]} variant="filled">
                          {key.status}
                        </Badge>
                        <Code>{key.kid}</Code>
                      </Group>
                    }
                  >
                    <Text size="xs">Created {formatDate(key.createdAt)}</Text>
                    {key.activatedAt && <Text size="xs">Active since {formatDate(key.activatedAt)}</Text>}
                    {key.retiredAt && <Text size="xs">Retired {formatDate(key.retiredAt)}</Text>}
                  </Timeline.Item>
                ))}
            </Timeline>
          </Card>
        ))}
      </SimpleGrid>
    </>
  );
}

/** The APIs (resource servers): identifier, scopes and the permissions each maps, token format and alg. */
export function ApisPage() {
  const { authz } = useSignedIn();
  const apis = useLoad(async () => unwrap<ResourceServerView[]>(await authz.GET('/api/v1/resource-servers')), [authz]);
  return (
    <>
      <PageTitle>APIs</PageTitle>
      <ErrorAlert error={apis.error} />
      <Stack>
        {apis.data?.map((api) => (
          <Card withBorder key={api.identifier}>
            <Group justify="space-between" mb="xs">
              <Title order={3} size="h5">
                {api.name}
              </Title>
              <Group gap="xs">
                <Badge variant="filled">{api.tokenFormat}</Badge>
                <Badge variant="default">access token {api.accessTokenTtl}s</Badge>
                {api.includePermissions && <Badge variant="default">permissions in tokens</Badge>}
              </Group>
            </Group>
            <Code>{api.identifier}</Code>
            <Table mt="sm" aria-label={`Scopes of ${api.name}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Scope</Table.Th>
                  <Table.Th>Permissions it covers</Table.Th>
                  <Table.Th>Description</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {api.scopes.map((scope) => (
                  <Table.Tr key={scope}>
                    <Table.Td>{scope}</Table.Td>
                    <Table.Td>{(api.scopePermissions[scope] ?? []).join(', ') || '—'}</Table.Td>
                    <Table.Td>{api.scopeDescriptions[scope] ?? ''}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        ))}
      </Stack>
    </>
  );
}

interface Health {
  status: string;
  info?: Record<string, { status: string; [detail: string]: unknown }>;
  error?: Record<string, { status: string; [detail: string]: unknown }>;
  details?: Record<string, { status: string; [detail: string]: unknown }>;
}

/** Health of the authorization server and what it sees of the backend and Kafka (/health/ready details). */
export function SystemPage() {
  const health = useLoad(async () => {
    const res = await fetch(`${location.origin}/health/ready`, { cache: 'no-store' });
    return { httpStatus: res.status, body: (await res.json()) as Health };
  }, []);
  const details = health.data?.body.details ?? {};
  return (
    <>
      <PageTitle
        actions={
          <Button variant="default" onClick={health.reload}>
            Refresh
          </Button>
        }
      >
        System
      </PageTitle>
      <ErrorAlert error={health.error} />
      {health.data && (
        <Text mb="md">
          Authorization server: <b>{health.data.body.status}</b> (HTTP {health.data.httpStatus})
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        {Object.entries(details).map(([name, detail]) => (
          <Card withBorder key={name}>
            <Group justify="space-between">
              <Text fw={500}>{name}</Text>
              <Badge color={detail.status === 'up' ? 'green' : 'orange'}>{detail.status}</Badge>
            </Group>
            <Code block mt="xs">
              {JSON.stringify(detail, null, 2)}
            </Code>
          </Card>
        ))}
      </SimpleGrid>
    </>
  );
}
