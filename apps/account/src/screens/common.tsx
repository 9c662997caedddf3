import { Alert, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Loaded } from '@platform/web';
import { Fragment, type ReactNode } from 'react';
import i18next from 'i18next';
import { errorMessage, useT } from '../i18n';

/** Mantine's notification close button has no text of its own. */
const closeLabel = () => ({ 'aria-label': i18next.t('common.close') });

/** Runs an action; reports success or the API's error as a notification. */
export async function act(action: () => Promise<unknown>, success?: string): Promise<boolean> {
  try {
    await action();
    if (success) notifications.show({ color: 'green', message: success, closeButtonProps: closeLabel() });
    return true;
  } catch (error) {
    notifications.show({
      color: 'red',
      title: i18next.t('common.error'),
      message: errorMessage(error),
      closeButtonProps: closeLabel(),
    });
    return false;
  }
}

/**
 * A screen: its heading (the page's h2 under the app's h1), an intro, and its content or state:
 * with `loaded` (what useLoad gives), a loader until the first load and the error of the last one
 * (in the user's language).
 */
export function Screen({
  title,
  intro,
  loaded,
  children,
}: {
  title: string;
  intro?: string;
  loaded?: { data?: unknown; error?: unknown; loading: boolean };
  children?: ReactNode;
}) {
  const { t } = useT();
  const loading = loaded?.loading && !loaded.data;
  const error = loaded?.error;
  return (
    <Stack maw={880} gap="md">
      <Title order={2}>{title}</Title>
      {intro && <Text c="dimmed">{intro}</Text>}
      {error ? (
        <Alert color="red" title={t('common.error')} role="alert">
          {errorMessage(error)}
        </Alert>
      ) : null}
      {loading ? <Loader role="status" aria-label={t('app.loading')} /> : children}
    </Stack>
  );
}

/**
 * A screen's items: a list of cards (one list, named for screen readers; each card keyed by its
 * item's id), or the text saying there are none.
 */
export function CardList<T extends { id: string }>({
  label,
  items,
  empty,
  children,
}: {
  label: string;
  items?: T[];
  empty: string;
  /** An item's card (a Card with component="li"). */
  children: (item: T) => ReactNode;
}) {
  return (
    <>
      {items?.length === 0 && <Text>{empty}</Text>}
      <Stack component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={label}>
        {(items ?? []).map((item) => (
          <Fragment key={item.id}>{children(item)}</Fragment>
        ))}
      </Stack>
    </>
  );
}

/**
 * A screen listing the user's own things (sessions, devices, passkeys, apps, linked accounts) as
 * cards: the catalogue section `texts` holds its title (also the list's name), intro and empty
 * text; `before` and `after` stand above and below the list.
 */
export function ListScreen<T extends { id: string }>({
  texts,
  list,
  before,
  after,
  children,
}: {
  texts: string;
  list: Loaded<T[]>;
  before?: ReactNode;
  after?: ReactNode;
  /** An item's card (an ItemCard). */
  children: (item: T) => ReactNode;
}) {
  const { t } = useT();
  return (
    <Screen title={t(`${texts}.title`)} intro={t(`${texts}.intro`)} loaded={list}>
      {before}
      <CardList label={t(`${texts}.title`)} items={list.data} empty={t(`${texts}.empty`)}>
        {children}
      </CardList>
      {after}
    </Screen>
  );
}

/** One fact of an item's card: a small dimmed label above its value. */
export function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </div>
  );
}

/** An item's card in a CardList: what it is (`children`), and its buttons (`actions`) on the right. */
export function ItemCard({
  actions,
  align = 'start',
  children,
  ...data
}: {
  actions?: ReactNode;
  align?: 'start' | 'center';
  children: ReactNode;
  /** data-testid and the like, for the browser suites. */
  [attribute: `data-${string}`]: string | boolean | undefined;
}) {
  return (
    <Card component="li" withBorder {...data}>
      <Group justify="space-between" align={align}>
        {children}
        {actions}
      </Group>
    </Card>
  );
}

/** An item's name in bold, a badge beside it when it has one. */
export function ItemName({ name, badge }: { name: ReactNode; badge?: ReactNode }) {
  return (
    <Group gap="xs">
      <Text fw={600}>{name}</Text>
      {badge}
    </Group>
  );
}
