import { Alert, Button, Group, Text } from '@mantine/core';
import { unwrap, useLoad, useSignedIn } from '@platform/web';
import { formatDate, useT } from './i18n';
import { act } from './screens/common';

/**
 * Shown on every screen while an administrator acts as the user (issue 16): who, until when, why,
 * and the way to end it. Only a session whose tokens name an administrator (`act`) asks the API.
 */
export function ImpersonationBanner() {
  const { session } = useSignedIn();
  return session.accessClaims(session.settings.identityApiAudience)?.actor ? <Banner /> : null;
}

function Banner() {
  const { t } = useT();
  const { session, identity } = useSignedIn();
  const who = useLoad(async () => unwrap(await identity.GET('/api/v1/me/impersonation')));
  const user = session.claims?.name ?? session.claims?.email ?? session.claims?.sub ?? '';
  const end = () =>
    act(async () => {
      unwrap(await identity.DELETE('/api/v1/me/impersonation'));
      await session.signOut();
    });
  return (
    // red.9 under white text: AA contrast (the default orange filled is not).
    <Alert
      color="red.9"
      variant="filled"
      mb="md"
      role="status"
      title={t('impersonation.title')}
      // The filled alert's title keeps the body text colour (dark on red fails AA): white like the message.
      styles={{ title: { color: 'var(--mantine-color-white)' } }}
    >
      <Group justify="space-between" wrap="wrap" gap="sm">
        <div>
          <Text size="sm">
            {t('impersonation.signedInAs', { user, actor: who.data?.actorName ?? t('impersonation.anAdministrator') })}
          </Text>
          {who.data && (
            <Text size="sm">
              {t('impersonation.details', { until: formatDate(who.data.expiresAt), reason: who.data.reason })}
            </Text>
          )}
        </div>
        <Button variant="white" color="red.9" size="xs" onClick={() => void end()}>
          {t('impersonation.end')}
        </Button>
      </Group>
    </Alert>
  );
}
