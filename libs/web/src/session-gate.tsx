import { Alert, Button, Center, Loader, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useSession } from './session-provider';

/** The words of a console's start and sign-in screens, in its language. */
export interface SessionGateTexts {
  loading: string;
  cannotStart: string;
  /** The sign-in form's heading, and a line under it. */
  title: string;
  intro?: string;
  /** The notice after a sign-out: its title, and why (the sign-in was cancelled, or the session ended). */
  signedOut: string;
  cancelled: string;
  ended: string;
  tenant: string;
  tenantHint: string;
  submit: string;
}

/**
 * A console's start (apps/console, apps/account): a loader while the session boots, why it cannot
 * start, the sign-in form when signed out (the tenant to sign in to), and `children` once signed in.
 */
export function SessionGate({
  texts,
  tenant,
  below,
  children,
}: {
  texts: SessionGateTexts;
  /** The tenant the form proposes; the session's default without one. */
  tenant?: string | null;
  /** Under the form's button (the account console's language picker). */
  below?: ReactNode;
  children: ReactNode;
}) {
  const state = useSession();
  switch (state.status) {
    case 'loading':
      return (
        <Center mih="100vh" component="main">
          <Loader role="status" aria-label={texts.loading} />
        </Center>
      );
    case 'error':
      return (
        <Center mih="100vh" component="main" p="md">
          <Alert color="red" title={texts.cannotStart}>
            {state.message}
          </Alert>
        </Center>
      );
    case 'signed-out':
      return (
        <SignIn
          texts={texts}
          reason={state.reason}
          tenant={tenant ?? state.session.tenant}
          onSignIn={(chosen) => void state.session.signIn({ tenant: chosen, returnTo: '/' })}
          below={below}
        />
      );
    case 'signed-in':
      return children;
  }
}

/** Signed out: the tenant to sign in to. */
function SignIn({
  texts,
  reason,
  tenant,
  onSignIn,
  below,
}: {
  texts: SessionGateTexts;
  reason: string;
  tenant: string;
  onSignIn: (tenant: string) => void;
  below?: ReactNode;
}) {
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
              {texts.title}
            </Title>
            {texts.intro && <Text size="sm">{texts.intro}</Text>}
            {reason !== 'login_required' && reason !== 'no sign-in under way' && (
              <Alert color="orange" title={texts.signedOut}>
                {reason === 'access_denied' ? texts.cancelled : texts.ended}
              </Alert>
            )}
            <TextInput
              label={texts.tenant}
              description={texts.tenantHint}
              value={value}
              onChange={(event) => setValue(event.currentTarget.value)}
              required
            />
            <Button type="submit">{texts.submit}</Button>
            {below}
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
