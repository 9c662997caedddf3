import { Badge, Group, SimpleGrid } from '@mantine/core';
import { unwrap, useLoad, useSignedIn } from '@platform/web';
import { formatDate, useT } from '../i18n';
import { act, Detail, ItemCard, ListScreen } from './common';
import { ConfirmButton, RemoveButton } from './confirm';

export function SessionsScreen() {
  const { authz, session } = useSignedIn();
  const { t } = useT();
  const sessions = useLoad(async () => unwrap(await authz.GET('/api/v1/me/sessions')));
  const others = (sessions.data ?? []).filter((s) => !s.current);
  const amr = (method: string) => t(`sessions.amr.${method}`, { defaultValue: method });

  return (
    <ListScreen
      texts="sessions"
      list={sessions}
      before={
        others.length > 0 && (
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
        )
      }
    >
      {(s) => (
        <ItemCard
          data-testid="session"
          data-current={s.current}
          actions={
            s.current ? (
              <Group gap="xs">
                <Badge color="teal.9">{t('sessions.current')}</Badge>
                <ConfirmButton
                  label={t('signIn.signOut')}
                  question={t('sessions.removal.question')}
                  variant="default"
                  color="gray"
                  onConfirm={() => session.signOut()}
                />
              </Group>
            ) : (
              <RemoveButton
                texts="sessions"
                remove={() =>
                  authz.DELETE('/api/v1/me/sessions/{sessionId}', { params: { path: { sessionId: s.id } } })
                }
                reload={sessions.reload}
              />
            )
          }
        >
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs" style={{ flex: 1 }}>
            <Detail label={t('sessions.signedInAt')}>{formatDate(s.signedInAt)}</Detail>
            <Detail label={t('sessions.methods')}>{s.amr.map(amr).join(', ') || '—'}</Detail>
            <Detail label={t('sessions.apps')}>{s.clients.map((c) => c.clientId).join(', ') || '—'}</Detail>
          </SimpleGrid>
        </ItemCard>
      )}
    </ListScreen>
  );
}
