import { Alert, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { ApiCallError, unwrap, useSignedIn } from '@platform/web';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { errorMessage, useT } from '../i18n';
import { act, Screen } from './common';
import { FormDialog } from './dialog';

/** Downloads the export through the bearer-authenticated API (a plain link could not carry the token). */
async function downloadExport(identityApiUrl: string, token: string): Promise<void> {
  const res = await fetch(`${identityApiUrl}/api/v1/me/export`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new ApiCallError(res.status, `http_${res.status}`, `HTTP ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = 'personal-data.json';
  a.click();
  URL.revokeObjectURL(url);
}

export function PrivacyScreen() {
  const { identity, session } = useSignedIn();
  const { t } = useT();
  const [params, setParams] = useSearchParams();
  // Back from the re-authentication (prompt=login): the sign-in is fresh, ask for the final confirmation.
  const confirming = params.get('confirm') === 'delete';
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [deleted, setDeleted] = useState(false);

  const reauthenticate = () => session.signIn({ prompt: 'login', returnTo: '/privacy?confirm=delete' });
  const remove = async () => {
    const result = await identity.POST('/api/v1/me/delete', { body: {} });
    try {
      unwrap(result);
      setDeleted(true);
    } catch (e) {
      setError(
        e instanceof ApiCallError && e.code === 'reauthentication_required' ? t('privacy.reauth') : errorMessage(e),
      );
    }
  };

  if (deleted) {
    return (
      <Screen title={t('privacy.deleteTitle')}>
        <Alert color="green" role="status">
          {t('privacy.deleted')}
        </Alert>
      </Screen>
    );
  }
  return (
    <Screen title={t('privacy.title')}>
      <Paper withBorder p="md">
        <Stack>
          <Title order={3}>{t('privacy.exportTitle')}</Title>
          <Text size="sm">{t('privacy.exportIntro')}</Text>
          <Group>
            <Button
              onClick={() =>
                void act(async () =>
                  downloadExport(
                    session.settings.identityApiUrl,
                    await session.accessToken(session.settings.identityApiAudience),
                  ),
                )
              }
            >
              {t('privacy.export')}
            </Button>
          </Group>
        </Stack>
      </Paper>
      <Paper withBorder p="md">
        <Stack>
          <Title order={3}>{t('privacy.deleteTitle')}</Title>
          <Text size="sm">{t('privacy.deleteIntro')}</Text>
          <Text size="sm">{t('privacy.reauth')}</Text>
          <Group>
            <Button color="red" onClick={() => void reauthenticate()}>
              {t('privacy.delete')}
            </Button>
          </Group>
        </Stack>
      </Paper>
      <FormDialog
        opened={confirming}
        onClose={() => {
          setParams({});
          setError(null);
        }}
        title={t('privacy.confirmTitle')}
        onSubmit={() => {
          if (typed === t('privacy.confirmWord')) void remove();
        }}
        submitLabel={t('privacy.delete')}
        submitColor="red"
        submitDisabled={typed !== t('privacy.confirmWord')}
      >
        <Text size="sm">{t('privacy.deleteIntro')}</Text>
        {error && (
          <Alert color="red" role="alert">
            <Stack>
              {error}
              <Group>
                <Button size="xs" variant="default" onClick={() => void reauthenticate()}>
                  {t('privacy.reauthButton')}
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
        <TextInput
          label={t('privacy.confirmLabel')}
          value={typed}
          onChange={(e) => setTyped(e.currentTarget.value)}
          data-autofocus
        />
      </FormDialog>
    </Screen>
  );
}
