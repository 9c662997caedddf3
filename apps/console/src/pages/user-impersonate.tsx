import { Alert, Anchor, Button, Group, Modal, NumberInput, Stack, Text } from '@mantine/core';
import { ApiCallError, describeError, type IdentitySchemas, unwrap } from '@platform/web';
import { useState } from 'react';
import { CopyField, formatDate } from '../lib/components';
import { TextField } from '../lib/fields';
import { DialogForm } from '../lib/form-dialog';
import { useAdmin } from '../lib/use-admin';

type StartedImpersonationView = IdentitySchemas['schemas']['StartedImpersonationView'];

/**
 * "Impersonate": asks why and for how long, then shows the one-time start link. The link is opened
 * in the administrator's own browser, where they sign in as themselves before acting as the user
 * (the identity backend mails the user and audits every step).
 */
export function ImpersonateAction({ userId, email }: { userId: string; email: string }) {
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button variant="default" onClick={() => setOpened(true)}>
        Impersonate
      </Button>
      {opened && <ImpersonateDialog userId={userId} email={email} onClose={() => setOpened(false)} />}
    </>
  );
}

function ImpersonateDialog({ userId, email, onClose }: { userId: string; email: string; onClose: () => void }) {
  const { identity, query } = useAdmin();
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState<number | string>(15);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [started, setStarted] = useState<StartedImpersonationView>();
  const duration = typeof minutes === 'number' ? minutes : Number.NaN;
  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setStarted(
        unwrap<StartedImpersonationView>(
          await identity.POST('/api/v1/users/{id}/impersonations', {
            params: { path: { id: userId }, query },
            body: { reason: reason.trim(), durationMinutes: duration },
          }),
        ),
      );
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={`Impersonate ${email}`} centered size="lg" closeOnClickOutside={!started}>
      {started ? (
        <Stack>
          <Alert color="blue" title="Open the link in this browser">
            It works once, until {formatDate(started.startUrlExpiresAt)}. You sign in as yourself first; then you act as{' '}
            {email} until {formatDate(started.expiresAt)}. They are told by email, and every step is audited.
          </Alert>
          <CopyField label="Start link" value={started.startUrl} />
          <Group justify="space-between">
            <Anchor href={started.startUrl} target="_blank" rel="noopener noreferrer">
              Open in a new tab
            </Anchor>
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <DialogForm
          onSubmit={start}
          onCancel={onClose}
          busy={busy}
          submitLabel="Start impersonation"
          submitDisabled={!reason.trim() || !(duration >= 1 && duration <= 60)}
        >
          <Text size="sm">
            You act as this user for a while, to see what they see. The reason is shown to them in the email they get,
            and kept in the audit trail.
          </Text>
          <TextField label="Reason" required maxLength={500} value={reason} onChange={setReason} data-autofocus />
          <NumberInput
            label="Duration (minutes)"
            description="From 1 to 60"
            required
            min={1}
            max={60}
            allowDecimal={false}
            value={minutes}
            onChange={setMinutes}
          />
          {error ? (
            <Text c="red.8" size="sm" role="alert">
              {describeError(error)}
              {error instanceof ApiCallError && ` (${error.code})`}
            </Text>
          ) : null}
        </DialogForm>
      )}
    </Modal>
  );
}
