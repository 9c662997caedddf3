import { Card, Group, Stack, Text } from '@mantine/core';
import { unwrap, useSignedIn } from '@platform/web';
import { formatDate, useT } from '../i18n';
import { act, Screen, useLoad } from './common';
import { ConfirmButton } from './confirm';

export function LinkedScreen() {
  const { identity } = useSignedIn();
  const { t } = useT();
  const links = useLoad(async () => unwrap(await identity.GET('/api/v1/me/external-identities')));
  return (
    <Screen
      title={t('linked.title')}
      intro={t('linked.intro')}
      loading={links.loading && !links.data}
      error={links.error}
    >
      {links.data?.length === 0 && <Text>{t('linked.empty')}</Text>}
      <Stack component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('linked.title')}>
        {(links.data ?? []).map((link) => (
          <Card component="li" withBorder key={link.id}>
            <Group justify="space-between">
              <Stack gap={2}>
                <Text fw={600}>{link.providerId}</Text>
                <Text size="sm">
                  {t('linked.email')}: {link.email ?? '—'}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('linked.since')} {formatDate(link.linkedAt)}
                </Text>
              </Stack>
              <ConfirmButton
                label={t('linked.unlink')}
                question={t('linked.confirm')}
                onConfirm={() =>
                  act(async () => {
                    unwrap(
                      await identity.DELETE('/api/v1/me/external-identities/{linkId}', {
                        params: { path: { linkId: link.id } },
                      }),
                    );
                    links.reload();
                  }, t('linked.unlinked'))
                }
              />
            </Group>
          </Card>
        ))}
      </Stack>
      <Text size="sm">{t('linked.howToLink')}</Text>
    </Screen>
  );
}
