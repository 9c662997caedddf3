import { Alert, Button, Center, Loader, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useSession } from '@platform/web';
import { useState } from 'react';
import { LanguagePicker } from './language-picker';
import { useT } from './i18n';
import { Shell } from './shell';

/** Signed out: the organisation to sign in to (remembered from the last sign-in, or the default). */
function SignIn({ reason, tenant, onSignIn }: { reason: string; tenant: string; onSignIn: (tenant: string) => void }) {
  const { t } = useT();
  const [value, setValue] = useState(tenant);
  return (
    <Center mih="100vh" component="main" p="md">
      <Paper withBorder shadow="sm" p="xl" w={400} maw="100%">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            onSignIn(value.trim());
          }}
        >
          <Stack>
            <Title order={1} size="h3">
              {t('signIn.title')}
            </Title>
            <Text size="sm">{t('signIn.intro')}</Text>
            {reason !== 'login_required' && reason !== 'no sign-in under way' && (
              <Alert color="orange" title={t('signIn.signOut')}>
                {reason === 'access_denied' ? t('signIn.cancelled') : t('signIn.ended')}
              </Alert>
            )}
            <TextInput
              label={t('signIn.organisation')}
              description={t('signIn.organisationHint')}
              value={value}
              onChange={(event) => setValue(event.currentTarget.value)}
              required
            />
            <Button type="submit">{t('signIn.submit')}</Button>
            <LanguagePicker />
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}

/** A link such as /account/?tenant=acme names the organisation; kept across the silent sign-in's round trip. */
const NAMED_TENANT = 'account.tenant';
const named = new URLSearchParams(location.search).get('tenant');
if (named) sessionStorage.setItem(NAMED_TENANT, named);

export function App() {
  const state = useSession();
  const { t } = useT();
  switch (state.status) {
    case 'loading':
      return (
        <Center mih="100vh" component="main">
          <Loader role="status" aria-label={t('app.loading')} />
        </Center>
      );
    case 'error':
      return (
        <Center mih="100vh" component="main" p="md">
          <Alert color="red" title={t('app.cannotStart')}>
            {state.message}
          </Alert>
        </Center>
      );
    case 'signed-out':
      return (
        <SignIn
          reason={state.reason}
          tenant={sessionStorage.getItem(NAMED_TENANT) ?? state.session.tenant}
          onSignIn={(tenant) => void state.session.signIn({ tenant, returnTo: '/' })}
        />
      );
    case 'signed-in':
      return <Shell />;
  }
}
