import { Alert, Badge, Button, Code, Group, Modal, Stack, Table, TagsInput, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type IdentitySchemas, unwrap } from '@platform/web';
import { useState } from 'react';
import { ConfirmAction, formatDate, LoadedTable, PageTitle } from '../lib/components';
import { ACTIONS } from '../lib/data-table';
import { FormDialog } from '../lib/form-dialog';
import { PasswordField, SwitchField, TextField } from '../lib/fields';
import { useAdmin, useTenantLoad } from '../lib/use-admin';
import { reloadAfter, useAction } from '../lib/use-api';

type IdpView = IdentitySchemas['schemas']['IdpView'];
type ConnectionTest = IdentitySchemas['schemas']['IdpConnectionTestView'];

/** The connection test's codes (identity backend idp-connection-test.dto.ts) as a headline. */
const CONNECTION_HEADLINES: Record<ConnectionTest['code'], string> = {
  ok: 'The connection works',
  insecure_issuer: 'The issuer does not use https',
  target_forbidden: 'The provider is not on the public internet',
  timeout: 'The provider did not answer in time',
  unreachable: 'The provider cannot be reached',
  http_error: 'The provider answered with an error',
  invalid_document: 'The discovery document is not usable',
  issuer_mismatch: 'The discovery document names another issuer',
  jwks_unavailable: "The provider's signing keys cannot be read",
};

/** External OpenID Connect providers the tenant's users may sign in with; "Test connection" runs discovery. */
export function IdentityProvidersPage() {
  const { identity, has, query } = useAdmin();
  const { busy, run } = useAction();
  const idps = useTenantLoad(async (query) =>
    unwrap<IdpView[]>(await identity.GET('/api/v1/idps', { params: { query } })),
  );
  const [creating, { open, close }] = useDisclosure(false);
  const [editing, setEditing] = useState<IdpView>();
  const [testing, setTesting] = useState<string>();
  const [tested, setTested] = useState<{ idp: IdpView; result: ConnectionTest }>();
  const canWrite = has('idps:write');

  const testConnection = async (idp: IdpView) => {
    setTesting(idp.id);
    const result = await run(async () =>
      unwrap<ConnectionTest>(
        await identity.POST('/api/v1/idps/{id}/test', { params: { path: { id: idp.id }, query } }),
      ),
    );
    setTesting(undefined);
    if (result) setTested({ idp, result });
  };

  return (
    <>
      <PageTitle actions={canWrite && <Button onClick={open}>Add identity provider</Button>}>
        External identity providers
      </PageTitle>
      <LoadedTable
        label="Identity providers"
        columns={['Name', 'Issuer', 'Sign-in', 'Updated', canWrite && ACTIONS]}
        list={idps}
        empty="No external identity providers yet."
        minWidth={700}
      >
        {(idp) => (
          <>
            <Table.Td>
              <Text size="sm" fw={500}>
                {idp.displayName}
              </Text>
              <Text size="xs" c="dimmed">
                {idp.slug}
              </Text>
            </Table.Td>
            <Table.Td>
              <Code>{idp.issuer}</Code>
            </Table.Td>
            <Table.Td>
              <Group gap="xs">
                <Badge variant="filled" color={idp.enabled ? 'green' : 'gray'}>
                  {idp.enabled ? 'enabled' : 'disabled'}
                </Badge>
                {idp.jitProvisioning && <Badge variant="default">creates users</Badge>}
                {idp.autoLinkVerifiedEmail && <Badge variant="default">links by verified email</Badge>}
              </Group>
            </Table.Td>
            <Table.Td>{formatDate(idp.updatedAt)}</Table.Td>
            {canWrite && (
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Button
                    size="xs"
                    variant="default"
                    loading={busy && testing === idp.id}
                    onClick={() => void testConnection(idp)}
                    aria-label={`Test connection of ${idp.displayName}`}
                  >
                    Test connection
                  </Button>
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => setEditing(idp)}
                    aria-label={`Edit ${idp.displayName}`}
                  >
                    Edit
                  </Button>
                  <ConfirmAction
                    label="Delete"
                    title={`Delete ${idp.displayName}?`}
                    message="Nobody can sign in with it any more, and every account linked to it is unlinked."
                    onConfirm={reloadAfter(idps, () =>
                      identity.DELETE('/api/v1/idps/{id}', { params: { path: { id: idp.id }, query } }),
                    )}
                  />
                </Group>
              </Table.Td>
            )}
          </>
        )}
      </LoadedTable>
      {(creating || editing) && (
        <IdpForm
          idp={editing}
          onClose={() => {
            close();
            setEditing(undefined);
          }}
          onSaved={() => {
            close();
            setEditing(undefined);
            idps.reload();
          }}
        />
      )}
      {tested && (
        <Modal
          opened
          onClose={() => setTested(undefined)}
          title={`Connection test: ${tested.idp.displayName}`}
          centered
          size="lg"
        >
          <ConnectionResult result={tested.result} />
          <Group justify="flex-end" mt="md">
            <Button onClick={() => setTested(undefined)}>Close</Button>
          </Group>
        </Modal>
      )}
    </>
  );
}

function ConnectionResult({ result }: { result: ConnectionTest }) {
  const rows: [string, string | number | null][] = [
    ['Discovery document', result.discoveryUrl],
    ['HTTP status', result.httpStatus],
    ['Issuer named', result.issuer],
    ['Authorization endpoint', result.authorizationEndpoint],
    ['Token endpoint', result.tokenEndpoint],
    ['Userinfo endpoint', result.userinfoEndpoint],
    ['JWKS', result.jwksUri],
    ['Signing keys', result.jwksKeys],
    ['Took', `${result.durationMs} ms`],
  ];
  return (
    <Stack>
      <Alert color={result.ok ? 'green' : 'red'} title={CONNECTION_HEADLINES[result.code]} role="status">
        {result.message}
        <Text size="xs" mt={4}>
          Code: <Code>{result.code}</Code>
        </Text>
      </Alert>
      <Table aria-label="What the connection test found">
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th scope="row">{label}</Table.Th>
              <Table.Td style={{ wordBreak: 'break-all' }}>{value ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** Create (slug and all) or edit (slug fixed; the client secret kept unless a new one is typed). */
function IdpForm({ idp, onClose, onSaved }: { idp?: IdpView; onClose: () => void; onSaved: () => void }) {
  const { identity, query } = useAdmin();
  const { busy, run } = useAction();
  const [slug, setSlug] = useState('');
  const [displayName, setDisplayName] = useState(idp?.displayName ?? '');
  const [issuer, setIssuer] = useState(idp?.issuer ?? '');
  const [clientId, setClientId] = useState(idp?.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [scopes, setScopes] = useState<string[]>(idp?.scopes ?? ['openid', 'email', 'profile']);
  const [jitProvisioning, setJitProvisioning] = useState(idp?.jitProvisioning ?? false);
  const [autoLink, setAutoLink] = useState(idp?.autoLinkVerifiedEmail ?? false);
  const [enabled, setEnabled] = useState(idp?.enabled ?? true);

  const save = async () => {
    const fields = {
      displayName: displayName.trim(),
      issuer: issuer.trim(),
      clientId: clientId.trim(),
      scopes,
      jitProvisioning,
      autoLinkVerifiedEmail: autoLink,
      enabled,
      ...(clientSecret ? { clientSecret } : {}),
    };
    return run(
      async () =>
        idp
          ? unwrap<IdpView>(
              await identity.PATCH('/api/v1/idps/{id}', { params: { path: { id: idp.id }, query }, body: fields }),
            )
          : unwrap<IdpView>(
              await identity.POST('/api/v1/idps', { params: { query }, body: { slug: slug.trim(), ...fields } }),
            ),
      idp ? 'Identity provider saved' : 'Identity provider added',
    );
  };

  return (
    <FormDialog
      title={idp ? `Edit ${idp.displayName}` : 'Add an identity provider'}
      size="lg"
      onClose={onClose}
      busy={busy}
      submitLabel="Save"
      onSubmit={async () => {
        if (await save()) onSaved();
      }}
    >
      {!idp && (
        <TextField
          label="Slug"
          description="Lower-case letters, digits and dashes; part of the sign-in URL"
          required
          value={slug}
          onChange={setSlug}
        />
      )}
      <TextField
        label="Display name"
        description="The button label on the login page"
        required
        value={displayName}
        onChange={setDisplayName}
      />
      <TextField
        label="Issuer URL"
        description="Its discovery document is at <issuer>/.well-known/openid-configuration"
        required
        type="url"
        value={issuer}
        onChange={setIssuer}
      />
      <TextField label="Client id" required value={clientId} onChange={setClientId} />
      <PasswordField
        label="Client secret"
        description={
          idp?.hasClientSecret ? 'Stored; type a new one to replace it' : 'Empty for a public client (PKCE only)'
        }
        value={clientSecret}
        onChange={setClientSecret}
        autoComplete="new-password"
      />
      <TagsInput label="Scopes" description="Press Enter after each" value={scopes} onChange={setScopes} />
      <SwitchField
        label="Create a user at first sign-in (just-in-time provisioning)"
        checked={jitProvisioning}
        onChange={setJitProvisioning}
      />
      <SwitchField
        label="Link to an existing user with the same verified email"
        checked={autoLink}
        onChange={setAutoLink}
      />
      <SwitchField label="Enabled" checked={enabled} onChange={setEnabled} />
    </FormDialog>
  );
}
