import { AppShell, Box, Card, NavLink, Select, SimpleGrid, Text, useMantineTheme } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { AppHeader, usePermissions } from '@platform/web';
import type { ReactNode } from 'react';
import { Link, Route, Routes, useLocation } from 'react-router';
import { NotAllowed, PageTitle } from './lib/components';
import { TenantProvider, useTenant } from './lib/tenant';
import { ApiKeysPage } from './pages/api-keys';
import { ApplicationDetailPage, ApplicationsPage } from './pages/applications';
import { AuditPage } from './pages/audit';
import { CustomScopesPage } from './pages/custom-scopes';
import { IdentityProvidersPage } from './pages/identity-providers';
import { ApisPage, SigningKeysPage, SystemPage } from './pages/platform';
import { RoleDetailPage, RolesPage } from './pages/roles';
import { TenantSettingsPage, TenantsPage } from './pages/tenants';
import { UserDetailPage } from './pages/user-detail';
import { UsersPage } from './pages/users';

/** A console section: shown (in the navigation and as a route) only to who may use it. */
interface Section {
  path: string;
  label: string;
  /** A permission the section needs, or 'platform' for platform administrators only. */
  needs: string;
  routes: { path: string; element: ReactNode }[];
}

/** A section listing at `path`, with the pages under it (`more`: e.g. `:id` for the detail page at `${path}/:id`). */
const section = (
  path: string,
  label: string,
  needs: string,
  element: ReactNode,
  more: Record<string, ReactNode> = {},
): Section => ({
  path,
  label,
  needs,
  routes: [
    { path, element },
    ...Object.entries(more).map(([sub, page]) => ({ path: `${path}/${sub}`, element: page })),
  ],
});

const SECTIONS: Section[] = [
  section('/users', 'Users', 'users:read', <UsersPage />, { ':id': <UserDetailPage /> }),
  section('/applications', 'Applications', 'authz-clients:read', <ApplicationsPage />, {
    ':clientId': <ApplicationDetailPage />,
  }),
  section('/roles', 'Roles', 'roles:read', <RolesPage />, { ':id': <RoleDetailPage /> }),
  section('/identity-providers', 'Identity providers', 'idps:read', <IdentityProvidersPage />),
  section('/scopes', 'Scopes and claims', 'authz-claims:read', <CustomScopesPage />),
  section('/api-keys', 'API keys', 'authz-apikeys:read', <ApiKeysPage />),
  section('/audit', 'Audit log', 'audit:read', <AuditPage />),
  section('/settings', 'Tenant settings', 'tenants:read', <TenantSettingsPage own />),
  section('/tenants', 'Tenants', 'platform', <TenantsPage />, { ':id': <TenantSettingsPage /> }),
  section('/signing-keys', 'Signing keys', 'platform', <SigningKeysPage />),
  section('/apis', 'APIs', 'platform', <ApisPage />),
  section('/system', 'System', 'platform', <SystemPage />),
];

/** The console's frame: header with the tenant switcher, navigation of the allowed sections, routes. */
export function Shell() {
  return (
    <TenantProvider>
      <Frame />
    </TenantProvider>
  );
}

function Frame() {
  const { has, isPlatformAdmin } = usePermissions();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const wide = useWide();
  const allowed = (section: Section) => (section.needs === 'platform' ? isPlatformAdmin : has(section.needs));
  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppHeader
        title="Admin console"
        menuLabel="Toggle navigation"
        signOutLabel="Sign out"
        opened={opened}
        onToggle={toggle}
        userFrom="md"
      >
        {/* On a phone the switcher sits atop the navigation (one of them: one element labelled Tenant): beside the title it pushed Sign out off screen. */}
        {wide && <TenantSwitcher />}
      </AppHeader>
      {/* Collapsed on a phone, the navigation is moved off screen: hidden too, its links are out of the Tab order. */}
      <AppShell.Navbar
        p="xs"
        component="nav"
        aria-label="Sections"
        style={wide || opened ? undefined : { visibility: 'hidden' }}
      >
        {!wide && (
          <Box mb="xs">
            <TenantSwitcher onChosen={close} />
          </Box>
        )}
        <NavLink
          component={Link}
          to="/"
          label="Overview"
          variant="filled"
          active={location.pathname === '/'}
          onClick={close}
        />
        {SECTIONS.filter(allowed).map((section) => (
          <NavLink
            key={section.path}
            component={Link}
            to={section.path}
            label={section.label}
            variant="filled"
            active={location.pathname.startsWith(section.path)}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Routes>
          <Route path="/" element={<Overview sections={SECTIONS.filter(allowed)} />} />
          {SECTIONS.flatMap((section) =>
            section.routes.map((route) => (
              <Route key={route.path} path={route.path} element={allowed(section) ? route.element : <NotAllowed />} />
            )),
          )}
          <Route path="*" element={<Text>This page does not exist.</Text>} />
        </Routes>
      </AppShell.Main>
    </AppShell>
  );
}

/** Whether the screen is wide enough for the navigation beside the page (Mantine's `sm`, the navbar's breakpoint). */
function useWide() {
  const query = `(min-width: ${useMantineTheme().breakpoints.sm})`;
  return useMediaQuery(query, window.matchMedia(query).matches, { getInitialValueInEffect: false });
}

/** Platform administrators choose the tenant the screens act in; everyone else sees their own. */
function TenantSwitcher({ onChosen }: { onChosen?: () => void }) {
  const { isPlatformAdmin } = usePermissions();
  const { tenants, tenantId, tenant, setTenantId } = useTenant();
  if (!isPlatformAdmin) {
    const name = tenant?.displayName ?? tenants[0]?.displayName;
    // Without tenants:read (an auditor) there is no name to show: no empty labelled element either.
    if (!name) return null;
    return (
      <Text size="sm" fw={500} aria-label="Tenant">
        {name}
      </Text>
    );
  }
  return (
    <Select
      aria-label="Tenant"
      size="xs"
      w={{ base: '100%', sm: 260 }}
      searchable
      data={tenants.map((t) => ({ value: t.id, label: `${t.displayName} (${t.slug})` }))}
      value={tenantId ?? null}
      onChange={(value) => {
        if (!value) return;
        setTenantId(value);
        onChosen?.();
      }}
      allowDeselect={false}
    />
  );
}

function Overview({ sections }: { sections: Section[] }) {
  const { isPlatformAdmin } = usePermissions();
  const { tenant } = useTenant();
  return (
    <>
      <PageTitle>{tenant ? tenant.displayName : 'Overview'}</PageTitle>
      <Text mb="md">
        {isPlatformAdmin
          ? 'You are a platform administrator: every tenant, and the platform-wide settings.'
          : 'You administer this tenant with the permissions of your roles.'}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {sections.map((section) => (
          <Card withBorder key={section.path} component={Link} to={section.path}>
            <Text fw={500}>{section.label}</Text>
          </Card>
        ))}
      </SimpleGrid>
    </>
  );
}
