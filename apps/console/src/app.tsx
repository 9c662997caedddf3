import { Alert, Button, Center, Loader, Paper, Stack, TextInput, Title } from '@mantine/core';
import { useSession } from '@platform/web';
import { useState } from 'react';
import { Shell } from './shell';

/** Signed out: the tenant to sign in to (operators sign in to the operators' tenant). */
function SignIn({
  reason,
  defaultTenant,
  onSignIn,
}: {
  reason: string;
  defaultTenant: string;
  onSignIn: (tenant: string) => void;
}) {
  const [tenant, setTenant] = useState(defaultTenant);
  return (
    <Center mih="100vh" component="main">
      <Paper withBorder shadow="sm" p="xl" w={380}>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            onSignIn(tenant.trim());
          }}
        >
          <Stack>
            <Title order={1} size="h3">
              Admin console
            </Title>
            {reason !== 'login_required' && reason !== 'no sign-in under way' && (
              <Alert color="orange" title="Signed out">
                {reason === 'access_denied' ? 'Sign-in was cancelled.' : 'Your session has ended. Sign in again.'}
              </Alert>
            )}
            <TextInput
              label="Tenant"
              description="The organisation you administer (operators: the operators' tenant)"
              value={tenant}
              onChange={(event) => setTenant(event.currentTarget.value)}
              required
            />
            <Button type="submit">Sign in</Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}

export function App() {
  const state = useSession();
  switch (state.status) {
    case 'loading':
      return (
        <Center mih="100vh" component="main">
          <Loader role="status" aria-label="Loading" />
        </Center>
      );
    case 'error':
      return (
        <Center mih="100vh" component="main">
          <Alert color="red" title="The console cannot start">
            {state.message}
          </Alert>
        </Center>
      );
    case 'signed-out':
      return (
        <SignIn
          reason={state.reason}
          defaultTenant={state.session.tenant}
          onSignIn={(tenant) => void state.session.signIn({ tenant, returnTo: '/' })}
        />
      );
    case 'signed-in':
      return <Shell />;
  }
}
