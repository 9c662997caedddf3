import { AppShell, Burger, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { usePermissions, useSignedIn } from '@platform/web';
import { NavLink as RouterLink, Route, Routes, useLocation } from 'react-router';

/** The console's frame: header, navigation (only the sections the user may use) and the routes. */
export function Shell() {
  const { session } = useSignedIn();
  const { isPlatformAdmin } = usePermissions();
  const [opened, { toggle }] = useDisclosure();
  const location = useLocation();
  const user = session.claims;
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Navigation" />
            <Title order={1} size="h4">
              Admin console
            </Title>
          </Group>
          <Group>
            <Text size="sm">{user?.email ?? user?.sub}</Text>
            <Button variant="default" size="xs" onClick={() => void session.signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Sections">
        <NavLink component={RouterLink} to="/" label="Overview" active={location.pathname === '/'} />
      </AppShell.Navbar>
      <AppShell.Main>
        <Routes>
          <Route
            path="*"
            element={<Text>{isPlatformAdmin ? 'Platform administrator' : 'Tenant administrator'}</Text>}
          />
        </Routes>
      </AppShell.Main>
    </AppShell>
  );
}
