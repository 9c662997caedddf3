import { Badge, Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { unwrap, useSignedIn } from '@platform/web';
import { formatDate, useT } from '../i18n';
import { act, Screen, useLoad } from './common';
import { ConfirmButton } from './confirm';

export function SessionsScreen() {
  const { authz, session } = useSignedIn();
  const { t } = useT();
  const sessions = useLoad(async () => unwrap(await authz.GET('/api/v1/me/sessions')));
  const others = (sessions.data ?? []).filter((s) => !s.current);
  const amr = (method: string) => t(`sessions.amr.${method}`, { defaultValue: method });

  return (
    <Screen
      title={t('sessions.title')}
      intro={t('sessions.intro')}
      loading={sessions.loading && !sessions.data}
      error={sessions.error}
    >
      {others.length > 0 && (
        <Group>
          <ConfirmButton
            label={t('sessions.signOutOthers')}
            question={t('sessions.confirmOthers')}
            onConfirm={() =>
              act(
                async () => {
                  const { ended } = unwrap(await authz.DELETE('/api/v1/me/sessions'));
                  sessions.reload();
                  return ended;
                },
                t('sessions.othersSignedOut', { count: others.length }),
              )
            }
          />
        </Group>
      )}
      {sessions.data?.length === 0 && <Text>{t('sessions.empty')}</Text>}
      <Stack component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('sessions.title')}>
        {(sessions.data ?? []).map((s) => (
          <Card component="li" withBorder key={s.id} data-testid="session" data-current={s.current}>
            <Group justify="space-between" align="start">
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs" style={{ flex: 1 }}>
                <div>
                  <Text size="xs" c="dimmed">
                    {t('sessions.signedInAt')}
                  </Text>
                  <Text size="sm">{formatDate(s.signedInAt)}</Text>
                </div>
                <div>
                  <Text size="xs" c="dimmed">
                    {t('sessions.methods')}
                  </Text>
                  <Text size="sm">{s.amr.map(amr).join(', ') || '—'}</Text>
                </div>
                <div>
                  <Text size="xs" c="dimmed">
                    {t('sessions.apps')}
                  </Text>
                  <Text size="sm">{s.clients.map((c) => c.clientId).join(', ') || '—'}</Text>
                </div>
              </SimpleGrid>
              {s.current ? (
                <Group gap="xs">
                  <Badge color="teal.9">{t('sessions.current')}</Badge>
                  <ConfirmButton
                    label={t('signIn.signOut')}
                    question={t('sessions.confirmOne')}
                    variant="default"
                    color="gray"
                    onConfirm={() => session.signOut()}
                  />
                </Group>
              ) : (
                <ConfirmButton
                  label={t('sessions.signOut')}
                  question={t('sessions.confirmOne')}
                  onConfirm={() =>
                    act(async () => {
                      unwrap(
                        await authz.DELETE('/api/v1/me/sessions/{sessionId}', {
                          params: { path: { sessionId: s.id } },
                        }),
                      );
                      sessions.reload();
                    }, t('sessions.signedOut'))
                  }
                />
              )}
            </Group>
          </Card>
        ))}
      </Stack>
    </Screen>
  );
}
