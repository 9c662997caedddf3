import { Badge, Stack, Text } from '@mantine/core';
import { unwrap, useLoad, useSignedIn } from '@platform/web';
import { formatDate, useT } from '../i18n';
import { ItemCard, ItemName, ListScreen } from './common';
import { RemoveButton } from './confirm';

export function AppsScreen() {
  const { authz, session } = useSignedIn();
  const { t } = useT();
  const grants = useLoad(async () => unwrap(await authz.GET('/api/v1/me/grants')));

  return (
    <ListScreen texts="apps" list={grants}>
      {(g) => {
        const scopes = [g.scope, ...Object.values(g.resources)].join(' ').split(' ').filter(Boolean);
        const thisConsole = g.clientId === session.settings.clientId;
        return (
          <ItemCard
            data-testid="grant"
            data-client={g.clientId}
            actions={
              !thisConsole && (
                <RemoveButton
                  texts="apps"
                  values={{ name: g.clientName }}
                  remove={() => authz.DELETE('/api/v1/me/grants/{grantId}', { params: { path: { grantId: g.id } } })}
                  reload={grants.reload}
                />
              )
            }
          >
            <Stack gap={4} style={{ flex: 1 }}>
              <ItemName
                name={g.clientName}
                badge={thisConsole && <Badge color="gray.7">{t('apps.thisConsole')}</Badge>}
              />
              <Text size="sm">
                {t('apps.access')}: {[...new Set(scopes)].join(', ')}
              </Text>
              <Text size="xs" c="dimmed">
                {t('apps.since')} {formatDate(g.createdAt)}
              </Text>
            </Stack>
          </ItemCard>
        );
      }}
    </ListScreen>
  );
}
