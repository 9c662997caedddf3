import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Modal,
  NumberInput,
  Radio,
  Stack,
  Stepper,
  Table,
  TagsInput,
  Text,
} from '@mantine/core';
import { unwrap } from '@platform/web';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useTenantClients } from '../lib/application-names';
import { BackLink, ConfirmAction, CopyField, ErrorAlert, formatDate, LoadedTable, PageTitle } from '../lib/components';
import { LinkCell } from '../lib/data-table';
import { SwitchField, TextField } from '../lib/fields';
import type { ClientView, ClientWithSecretView, CreateClientDto } from '../lib/types';
import { useAdmin, useTenantLoad } from '../lib/use-admin';
import { useAction, useChangeDialog } from '../lib/use-api';

/** The wizard's application types and what each registers as (clients API `type` + grants). */
const KINDS = {
  web: {
    label: 'Web application',
    description: 'A server-side app that keeps a secret (confidential client, authorization code)',
    type: 'confidential',
    redirects: true,
  },
  spa: {
    label: 'Single-page app',
    description: 'Runs in the browser, no secret (public client, code + PKCE)',
    type: 'spa',
    redirects: true,
  },
  native: {
    label: 'Native or mobile app',
    description: 'Installed app, no secret (public client, code + PKCE, custom scheme or loopback redirect)',
    type: 'native',
    redirects: true,
  },
  device: {
    label: 'Device (TV, CLI)',
    description: 'Input-constrained device signing in on another screen (device authorization grant)',
    type: 'native',
    redirects: false,
  },
  service: {
    label: 'Service (machine to machine)',
    description: 'A backend calling APIs as itself (client credentials, secret)',
    type: 'service',
    redirects: false,
  },
} as const;
type Kind = keyof typeof KINDS;

const typeLabel = (client: ClientView) => {
  const metadata = client.metadata as Record<string, unknown>;
  const grants = (metadata.grant_types as string[] | undefined) ?? [];
  if (grants.includes('urn:ietf:params:oauth:grant-type:device_code')) return 'device';
  if (grants.length === 1 && grants[0] === 'client_credentials') return 'service';
  if (metadata.token_endpoint_auth_method === 'none') return metadata.application_type === 'native' ? 'native' : 'spa';
  return 'web';
};

export function ApplicationsPage() {
  const { has } = useAdmin();
  const clients = useTenantClients();
  const registering = useChangeDialog(clients.reload);
  return (
    <>
      <PageTitle
        actions={has('authz-clients:write') && <Button onClick={registering.open}>Register application</Button>}
      >
        Applications
      </PageTitle>
      <LoadedTable
        label="Applications"
        columns={['Name', 'Client id', 'Type', 'Created']}
        list={clients}
        keyOf={(client) => client.clientId}
        minWidth={600}
      >
        {(client) => (
          <>
            <LinkCell to={`/applications/${encodeURIComponent(client.clientId)}`}>{client.name}</LinkCell>
            <Table.Td>
              <Code>{client.clientId}</Code>
            </Table.Td>
            <Table.Td>
              <Badge variant="filled">{typeLabel(client)}</Badge>
              {client.tenantId === null && (
                <Badge variant="default" ml="xs">
                  platform
                </Badge>
              )}
            </Table.Td>
            <Table.Td>{formatDate(client.createdAt)}</Table.Td>
          </>
        )}
      </LoadedTable>
      {registering.opened && <RegisterWizard onClose={registering.done} />}
    </>
  );
}

const lines = (values: string[]) => values.map((v) => v.trim()).filter(Boolean);

/** Registration wizard: type → details → the client id and (once) the secret. */
function RegisterWizard({ onClose }: { onClose: () => void }) {
  const { authz, session, query } = useAdmin();
  const { busy, run } = useAction();
  const [step, setStep] = useState(0);
  const [kind, setKind] = useState<Kind>('web');
  const [name, setName] = useState('');
  const [redirectUris, setRedirectUris] = useState<string[]>([]);
  const [logoutUris, setLogoutUris] = useState<string[]>([]);
  const [scopes, setScopes] = useState<string[]>(['openid', 'profile', 'email']);
  const [trusted, setTrusted] = useState(false);
  const [requirePkce, setRequirePkce] = useState(true);
  const [dpop, setDpop] = useState(false);
  const [accessTtl, setAccessTtl] = useState<number | string>('');
  const [created, setCreated] = useState<ClientWithSecretView>();
  const spec = KINDS[kind];

  const register = async () => {
    const body: CreateClientDto = {
      name: name.trim(),
      type: spec.type,
      scopes: lines(scopes),
      trusted,
      dpopBoundAccessTokens: dpop,
      ...(spec.redirects ? { redirectUris: lines(redirectUris), postLogoutRedirectUris: lines(logoutUris) } : {}),
      ...(kind === 'web' ? { requirePkce } : {}),
      ...(kind === 'device' ? { grantTypes: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'] } : {}),
      ...(typeof accessTtl === 'number' ? { accessTokenTtlSeconds: accessTtl } : {}),
    };
    const client = await run(
      async () => unwrap<ClientWithSecretView>(await authz.POST('/api/v1/clients', { params: { query }, body })),
      'Application registered',
    );
    if (client) {
      setCreated(client);
      setStep(2);
    }
  };

  return (
    <Modal opened onClose={onClose} title="Register an application" size="lg" centered closeOnClickOutside={!created}>
      <Stepper active={step} size="sm" mb="md">
        <Stepper.Step label="Type" />
        <Stepper.Step label="Details" />
        <Stepper.Step label="Credentials" />
      </Stepper>
      {step === 0 && (
        <Stack>
          <Radio.Group value={kind} onChange={(value) => setKind(value as Kind)} label="What are you building?">
            <Stack mt="xs">
              {(Object.keys(KINDS) as Kind[]).map((k) => (
                <Radio key={k} value={k} label={KINDS[k].label} description={KINDS[k].description} />
              ))}
            </Stack>
          </Radio.Group>
          <Group justify="flex-end">
            <Button onClick={() => setStep(1)}>Next</Button>
          </Group>
        </Stack>
      )}
      {step === 1 && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void register();
          }}
        >
          <Stack>
            <TextField label="Name" required value={name} onChange={setName} />
            {spec.redirects && (
              <>
                <TagsInput
                  label="Redirect URIs"
                  description="Exact match; press Enter after each"
                  required
                  value={redirectUris}
                  onChange={setRedirectUris}
                />
                <TagsInput label="Post-logout redirect URIs" value={logoutUris} onChange={setLogoutUris} />
              </>
            )}
            <TagsInput label="Scopes" value={scopes} onChange={setScopes} />
            {kind === 'web' && <SwitchField label="Require PKCE" checked={requirePkce} onChange={setRequirePkce} />}
            <SwitchField label="Sender-constrained tokens (DPoP)" checked={dpop} onChange={setDpop} />
            {kind !== 'service' && (
              <SwitchField label="Trusted (first-party: no consent page)" checked={trusted} onChange={setTrusted} />
            )}
            <NumberInput
              label="Access token lifetime (seconds)"
              description="Empty: the platform default"
              min={60}
              max={86400}
              value={accessTtl}
              onChange={setAccessTtl}
            />
            <Group justify="space-between">
              <Button variant="default" onClick={() => setStep(0)}>
                Back
              </Button>
              <Button type="submit" loading={busy}>
                Register
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {step === 2 && created && (
        <Stack>
          <CopyField label="Client id" value={created.clientId} />
          {created.clientSecret && (
            <>
              <Alert color="orange" title="Copy the secret now">
                It is shown only this once: the platform keeps only a hash of it.
              </Alert>
              <CopyField label="Client secret" value={created.clientSecret} />
            </>
          )}
          <QuickStart issuer={session.settings.issuer} client={created} />
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

/** A configuration snippet for the app (openid-client, the Node.js certified RP library). */
function QuickStart({ issuer, client }: { issuer: string; client: ClientWithSecretView }) {
  const metadata = client.metadata as Record<string, unknown>;
  const redirect = ((metadata.redirect_uris as string[] | undefined) ?? [])[0] ?? 'https://app.example/callback';
  const snippet = [
    "import * as client from 'openid-client';",
    `const config = await client.discovery(new URL('${issuer}'), '${client.clientId}'${client.clientSecret ? ', process.env.CLIENT_SECRET' : ''});`,
    `// redirect_uri: ${redirect}`,
  ].join('\n');
  return (
    <>
      <Text size="sm" fw={500}>
        Quick start (Node.js, openid-client)
      </Text>
      {/* Focusable: a long line scrolls, and a keyboard user must be able to scroll it. */}
      <Code block tabIndex={0} aria-label="Quick start snippet">
        {snippet}
      </Code>
    </>
  );
}

export function ApplicationDetailPage() {
  const { clientId = '' } = useParams();
  const { authz, has, query } = useAdmin();
  const navigate = useNavigate();
  const [overlap, setOverlap] = useState<number | string>(3600);
  const [secret, setSecret] = useState<string>();
  const client = useTenantLoad(
    async (query) =>
      unwrap<ClientView>(await authz.GET('/api/v1/clients/{clientId}', { params: { path: { clientId }, query } })),
    [clientId],
  );
  if (client.error) return <ErrorAlert error={client.error} />;
  if (!client.data) return null;
  const c = client.data;
  const metadata = c.metadata as Record<string, unknown>;
  return (
    <>
      <BackLink to="/applications">Applications</BackLink>
      <PageTitle
        actions={
          has('authz-clients:write') && (
            <ConfirmAction
              label="Delete"
              title={`Delete ${c.name}?`}
              message="Its tokens stop working and it can no longer sign anyone in."
              variant="filled"
              onConfirm={async () => {
                unwrap(await authz.DELETE('/api/v1/clients/{clientId}', { params: { path: { clientId }, query } }));
                void navigate('/applications');
              }}
            />
          )
        }
      >
        {c.name}
      </PageTitle>
      <Stack gap="xs" mb="md">
        <CopyField label="Client id" value={c.clientId} />
        <Text size="sm">Type: {typeLabel(c)}</Text>
        <Text size="sm">Redirect URIs: {((metadata.redirect_uris as string[]) ?? []).join(', ') || '—'}</Text>
        <Text size="sm">Scopes: {String(metadata.scope ?? '—')}</Text>
        <Text size="sm">Grant types: {((metadata.grant_types as string[]) ?? []).join(', ')}</Text>
      </Stack>
      {c.hasSecret && has('authz-clients:write') && (
        <Stack maw={520}>
          <NumberInput
            label="Previous secret keeps working for (seconds)"
            min={0}
            max={2592000}
            value={overlap}
            onChange={setOverlap}
          />
          <Group>
            <ConfirmAction
              label="Rotate secret"
              title="Rotate the client secret?"
              message="A new secret is issued; the current one keeps working for the overlap you chose."
              color="orange"
              onConfirm={async () => {
                const rotated = unwrap<ClientWithSecretView>(
                  await authz.POST('/api/v1/clients/{clientId}/secret', {
                    params: { path: { clientId }, query },
                    body: { overlapSeconds: typeof overlap === 'number' ? overlap : 0 },
                  }),
                );
                setSecret(rotated.clientSecret);
              }}
            />
          </Group>
          {secret && (
            <>
              <Alert color="orange" title="Copy the new secret now">
                It is shown only this once.
              </Alert>
              <CopyField label="New client secret" value={secret} />
            </>
          )}
        </Stack>
      )}
    </>
  );
}
