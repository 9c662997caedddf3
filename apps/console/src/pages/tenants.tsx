import {
  Badge,
  Box,
  Button,
  Card,
  ColorInput,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { unwrap, useLoad, usePermissions, useSignedIn } from '@platform/web';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { BackLink, ErrorAlert, formatDate, PageTitle } from '../lib/components';
import { ACTIONS, DataTable, LinkCell } from '../lib/data-table';
import { FormDialog } from '../lib/form-dialog';
import { SwitchField, TextField } from '../lib/fields';
import { useTenant } from '../lib/tenant';
import type { TenantSettings, TenantView } from '../lib/types';
import { useAction, useChangeDialog, useCreateThenOpen } from '../lib/use-api';

/** Every tenant (platform administrators): create, open settings, switch to it. */
export function TenantsPage() {
  const { tenants, setTenantId, reloadTenants } = useTenant();
  const creating = useChangeDialog(reloadTenants);
  return (
    <>
      <PageTitle actions={<Button onClick={creating.open}>Create tenant</Button>}>Tenants</PageTitle>
      <DataTable label="Tenants" columns={['Name', 'Slug', 'Status', 'Created', ACTIONS]} rows={tenants} minWidth={600}>
        {(tenant) => (
          <>
            <LinkCell to={`/tenants/${tenant.id}`}>{tenant.displayName}</LinkCell>
            <Table.Td>{tenant.slug}</Table.Td>
            <Table.Td>
              <Badge variant="filled" color={tenant.status === 'active' ? 'green' : 'gray'}>
                {tenant.status}
              </Badge>
            </Table.Td>
            <Table.Td>{formatDate(tenant.createdAt)}</Table.Td>
            <Table.Td>
              <Button size="xs" variant="default" onClick={() => setTenantId(tenant.id)}>
                Manage
              </Button>
            </Table.Td>
          </>
        )}
      </DataTable>
      {creating.opened && <CreateTenant onClose={creating.done} />}
    </>
  );
}

function CreateTenant({ onClose }: { onClose: () => void }) {
  const { identity } = useSignedIn();
  const { busy, create } = useCreateThenOpen('/tenants', onClose);
  const [slug, setSlug] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [primaryColor, setPrimaryColor] = useState('#1c7ed6');
  return (
    <FormDialog
      title="Create tenant"
      onClose={onClose}
      busy={busy}
      onSubmit={() =>
        create(
          async () =>
            unwrap<TenantView>(
              await identity.POST('/api/v1/tenants', {
                body: {
                  slug: slug.trim(),
                  displayName: displayName.trim(),
                  settings: {
                    ...withBranding({}, primaryColor, ''),
                    defaultLocale: 'en',
                    requireVerifiedEmail: false,
                  },
                },
              }),
            ),
          'Tenant created',
        )
      }
    >
      <TextField
        label="Slug"
        description="Lower-case letters, digits and dashes; used at sign-in; cannot change"
        required
        pattern="[a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?"
        value={slug}
        onChange={setSlug}
      />
      <TextField label="Display name" required value={displayName} onChange={setDisplayName} />
      <ColorInput label="Brand colour" value={primaryColor} onChange={setPrimaryColor} format="hex" />
    </FormDialog>
  );
}

/**
 * The API documents branding fields as untyped objects (class-validator's nullable strings);
 * they are strings or null.
 */
function withBranding(
  settings: Partial<TenantSettings>,
  primaryColor: string,
  logoUrl: string,
): Partial<TenantSettings> {
  const branding: Record<string, string | null> = { primaryColor: primaryColor || null, logoUrl: logoUrl || null };
  return { ...settings, branding: branding as TenantSettings['branding'] };
}

const brandingOf = (settings: TenantSettings | undefined) => {
  const branding = (settings?.branding ?? {}) as Record<string, unknown>;
  return {
    primaryColor: typeof branding.primaryColor === 'string' ? branding.primaryColor : '',
    logoUrl: typeof branding.logoUrl === 'string' ? branding.logoUrl : '',
  };
};

/** A tenant's settings: branding with a live preview of the login page, policies, self-registration. */
export function TenantSettingsPage({ own }: { own?: boolean }) {
  const params = useParams();
  const { identity } = useSignedIn();
  const { has } = usePermissions();
  const { tenantId: current } = useTenant();
  const id = own ? current : params.id;
  const { busy, run } = useAction();
  const tenant = useLoad(
    async () =>
      id ? unwrap<TenantView>(await identity.GET('/api/v1/tenants/{id}', { params: { path: { id } } })) : undefined,
    [identity, id],
  );
  const [settings, setSettings] = useState<TenantSettings>();
  const [color, setColor] = useState('');
  const [logo, setLogo] = useState('');
  useEffect(() => {
    if (!tenant.data) return;
    setSettings(tenant.data.settings);
    const branding = brandingOf(tenant.data.settings);
    setColor(branding.primaryColor);
    setLogo(branding.logoUrl);
  }, [tenant.data]);
  if (tenant.error) return <ErrorAlert error={tenant.error} />;
  if (!tenant.data || !settings || !id) return null;
  const t = tenant.data;
  const editable = has('tenants:write');
  const update = (changes: Partial<TenantSettings>) => setSettings({ ...settings, ...changes });
  return (
    <>
      {!own && <BackLink to="/tenants">Tenants</BackLink>}
      <PageTitle>{own ? 'Tenant settings' : t.displayName}</PageTitle>
      <Text size="sm" mb="md">
        Slug <b>{t.slug}</b> · id {t.id}
      </Text>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          const saved = await run(
            async () =>
              unwrap(
                await identity.PUT('/api/v1/tenants/{id}/settings', {
                  params: { path: { id } },
                  body: { ...settings, ...withBranding({}, color, logo) } as TenantSettings,
                }),
              ),
            'Settings saved',
          );
          if (saved !== undefined) tenant.reload();
        }}
      >
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <Card withBorder>
            <Title order={3} size="h5" mb="sm">
              Branding
            </Title>
            <Stack>
              <ColorInput label="Brand colour" value={color} onChange={setColor} format="hex" disabled={!editable} />
              <TextField
                label="Logo URL"
                placeholder="https://…/logo.svg"
                value={logo}
                onChange={setLogo}
                disabled={!editable}
              />
              <LoginPreview name={t.displayName} color={color} logo={logo} />
            </Stack>
          </Card>
          <Card withBorder>
            <Title order={3} size="h5" mb="sm">
              Sign-in and policies
            </Title>
            <Stack>
              <SwitchField
                label="Self-registration"
                checked={settings.selfRegistration ?? false}
                onChange={(selfRegistration) => update({ selfRegistration })}
                disabled={!editable}
              />
              <SwitchField
                label="Require a verified email to sign in"
                checked={settings.requireVerifiedEmail}
                onChange={(requireVerifiedEmail) => update({ requireVerifiedEmail })}
                disabled={!editable}
              />
              <TagsInput
                label="Allowed email domains for sign-up"
                value={settings.allowedEmailDomains ?? []}
                onChange={(allowedEmailDomains) => update({ allowedEmailDomains })}
                disabled={!editable}
              />
              <Select
                label="MFA"
                data={[
                  { value: 'optional', label: 'Optional' },
                  { value: 'required', label: 'Required for everyone' },
                ]}
                value={settings.mfaPolicy ?? 'optional'}
                onChange={(value) => update({ mfaPolicy: (value ?? 'optional') as TenantSettings['mfaPolicy'] })}
                disabled={!editable}
              />
              <Select
                label="Default language"
                data={[
                  { value: 'en', label: 'English' },
                  { value: 'de', label: 'Deutsch' },
                  { value: 'fr', label: 'Français' },
                ]}
                value={settings.defaultLocale}
                onChange={(value) => update({ defaultLocale: (value ?? 'en') as TenantSettings['defaultLocale'] })}
                disabled={!editable}
              />
              <Group grow>
                <NumberInput
                  label="Minimum password length"
                  min={8}
                  max={128}
                  value={settings.passwordPolicy?.minLength ?? 12}
                  onChange={(v) => update({ passwordPolicy: { ...passwordPolicy(settings), minLength: Number(v) } })}
                  disabled={!editable}
                />
                <NumberInput
                  label="Password history"
                  min={0}
                  max={24}
                  value={settings.passwordPolicy?.historySize ?? 0}
                  onChange={(v) => update({ passwordPolicy: { ...passwordPolicy(settings), historySize: Number(v) } })}
                  disabled={!editable}
                />
              </Group>
              <Group grow>
                <NumberInput
                  label="Failed attempts before lockout"
                  min={1}
                  value={settings.lockoutPolicy?.maxFailedAttempts ?? 5}
                  onChange={(v) => update({ lockoutPolicy: { ...lockout(settings), maxFailedAttempts: Number(v) } })}
                  disabled={!editable}
                />
                <NumberInput
                  label="Lockout (seconds)"
                  min={1}
                  value={settings.lockoutPolicy?.lockSeconds ?? 60}
                  onChange={(v) => update({ lockoutPolicy: { ...lockout(settings), lockSeconds: Number(v) } })}
                  disabled={!editable}
                />
              </Group>
            </Stack>
          </Card>
        </SimpleGrid>
        {editable && (
          <Group mt="md">
            <Button type="submit" loading={busy}>
              Save settings
            </Button>
          </Group>
        )}
      </form>
    </>
  );
}

/** The tenant's password and lockout policies, defaults filled in: what a change of one of their fields keeps. */
const passwordPolicy = (settings: TenantSettings) => ({
  minLength: settings.passwordPolicy?.minLength ?? 12,
  historySize: settings.passwordPolicy?.historySize ?? 0,
});

const lockout = (settings: TenantSettings) => ({
  maxFailedAttempts: settings.lockoutPolicy?.maxFailedAttempts ?? 5,
  lockSeconds: settings.lockoutPolicy?.lockSeconds ?? 60,
  maxLockSeconds: settings.lockoutPolicy?.maxLockSeconds ?? 3600,
});

/** What the hosted login page will look like with this branding. */
function LoginPreview({ name, color, logo }: { name: string; color: string; logo: string }) {
  return (
    <Paper withBorder p="md" bg="gray.0" aria-label="Login page preview">
      <Text size="xs" c="dimmed" mb="xs">
        Preview of the login page
      </Text>
      <Paper shadow="xs" p="md" maw={320} mx="auto">
        <Stack gap="xs">
          {logo ? (
            <Box component="img" src={logo} alt={`${name} logo`} mah={40} style={{ objectFit: 'contain' }} />
          ) : null}
          <Text fw={600}>Sign in to {name}</Text>
          <TextInput label="Email" placeholder="you@example.com" readOnly size="xs" />
          <TextInput label="Password" type="password" readOnly size="xs" />
          <Button size="xs" styles={{ root: { backgroundColor: color || undefined } }}>
            Sign in
          </Button>
        </Stack>
      </Paper>
    </Paper>
  );
}
