import { AppShell, Group, NavLink } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { AppHeader, useSignedIn } from '@platform/web';
import { useEffect, useRef } from 'react';
import { Navigate, NavLink as RouterLink, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useT } from './i18n';
import { ImpersonationBanner } from './impersonation-banner';
import { LanguagePicker } from './language-picker';
import { AppsScreen } from './screens/apps';
import { DevicesScreen } from './screens/devices';
import { LinkedScreen } from './screens/linked';
import { PasskeysScreen } from './screens/passkeys';
import { PrivacyScreen } from './screens/privacy';
import { ProfileScreen } from './screens/profile';
import { SecurityScreen } from './screens/security';
import { SessionsScreen } from './screens/sessions';

const SECTIONS = [
  { path: '/profile', label: 'nav.profile', element: <ProfileScreen /> },
  { path: '/security', label: 'nav.security', element: <SecurityScreen /> },
  { path: '/passkeys', label: 'nav.passkeys', element: <PasskeysScreen /> },
  { path: '/sessions', label: 'nav.sessions', element: <SessionsScreen /> },
  { path: '/devices', label: 'nav.devices', element: <DevicesScreen /> },
  { path: '/apps', label: 'nav.apps', element: <AppsScreen /> },
  { path: '/linked-accounts', label: 'nav.linked', element: <LinkedScreen /> },
  { path: '/privacy', label: 'nav.privacy', element: <PrivacyScreen /> },
] as const;

/** The console's frame: header, the sections, and the routes. */
export function Shell() {
  const { returnTo } = useSignedIn();
  const { t } = useT();
  const navigate = useNavigate();
  // The router started on /callback; go where the sign-in was asked from (e.g. back to a confirmation).
  // Once: navigate changes with every location, and going back there at each one pinned the console
  // to the sign-in's path (a silent sign-in from /account/?tenant=… left every screen empty).
  const returned = useRef(false);
  useEffect(() => {
    if (returned.current) return;
    returned.current = true;
    if (returnTo && returnTo !== '/') void navigate(returnTo, { replace: true });
  }, [navigate, returnTo]);
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 260, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppHeader
        title={t('app.title')}
        menuLabel={t('nav.menu')}
        signOutLabel={t('signIn.signOut')}
        opened={opened}
        onToggle={toggle}
        userFrom="xs"
      />
      <AppShell.Navbar p="xs" component="nav" aria-label={t('nav.label')}>
        {SECTIONS.map((section) => (
          <NavLink
            key={section.path}
            component={RouterLink}
            to={section.path}
            label={t(section.label)}
            active={location.pathname === section.path}
            // Filled: white on the primary shade (the light variant's blue on pale blue is below AA).
            variant="filled"
            onClick={close}
          />
        ))}
        <Group mt="auto" p="xs">
          <LanguagePicker />
        </Group>
      </AppShell.Navbar>
      <AppShell.Main>
        <ImpersonationBanner />
        <Routes>
          {SECTIONS.map((section) => (
            <Route key={section.path} path={section.path} element={section.element} />
          ))}
          <Route path="*" element={<Navigate to="/profile" replace />} />
        </Routes>
      </AppShell.Main>
    </AppShell>
  );
}
