import { AppShell, Burger, Button, Group, type MantineBreakpoint, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useSignedIn } from './session-provider';

/**
 * A signed-in console's header (inside its AppShell): the menu button for the navigation on a phone,
 * the app's title, and on the right `children`, the user's address (or subject) and Sign out.
 */
export function AppHeader({
  title,
  menuLabel,
  signOutLabel,
  opened,
  onToggle,
  userFrom,
  children,
}: {
  title: string;
  menuLabel: string;
  signOutLabel: string;
  /** The navigation's state on a phone, and its toggle. */
  opened: boolean;
  onToggle: () => void;
  /** The breakpoint from which the user's address shows. */
  userFrom: MantineBreakpoint;
  children?: ReactNode;
}) {
  const { session } = useSignedIn();
  const user = session.claims;
  return (
    <AppShell.Header>
      <Group h="100%" px="md" justify="space-between" wrap="nowrap">
        <Group wrap="nowrap">
          <Burger opened={opened} onClick={onToggle} hiddenFrom="sm" size="sm" aria-label={menuLabel} />
          <Title order={1} size="h4">
            {title}
          </Title>
        </Group>
        <Group wrap="nowrap" gap="sm">
          {children}
          <Text size="sm" visibleFrom={userFrom} truncate maw={240}>
            {user?.email ?? user?.sub}
          </Text>
          <Button variant="default" size="xs" onClick={() => void session.signOut()}>
            {signOutLabel}
          </Button>
        </Group>
      </Group>
    </AppShell.Header>
  );
}
