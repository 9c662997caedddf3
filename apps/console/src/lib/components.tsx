import { Alert, Anchor, Button, CopyButton, Group, Modal, Stack, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { ApiCallError, describeError, type Loaded } from '@platform/web';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { DataTable, type DataTableProps } from './data-table';
import { useAdmin } from './use-admin';
import { reloadAfter } from './use-api';

/** The link above a detail page back to its list (`children`: the list's name). */
export function BackLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Anchor component={Link} to={to} size="sm">
      ← {children}
    </Anchor>
  );
}

export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <Group justify="space-between" mb="md" wrap="wrap">
      <Title order={2}>{children}</Title>
      {actions && <Group>{actions}</Group>}
    </Group>
  );
}

/** An API error as a message a person can act on (the API's code mapped to words). */
export function ErrorAlert({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <Alert color="red" title="Something went wrong" role="alert" mb="md">
      {describeError(error)}
    </Alert>
  );
}

/** Shown on a console URL the signed-in user's permissions do not cover. */
export function NotAllowed() {
  return (
    <Alert color="orange" title="Not allowed" role="alert">
      You are not allowed to see this page: it needs permissions your account does not have.
    </Alert>
  );
}

/** A value with a copy button (client secrets, ids). */
export function CopyField({ label, value }: { label: string; value: string }) {
  return (
    <Group align="end" gap="xs" wrap="nowrap">
      <TextInput
        label={label}
        value={value}
        readOnly
        style={{ flex: 1 }}
        styles={{ input: { fontFamily: 'monospace' } }}
      />
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copied' : 'Copy'}>
            <Button variant="default" onClick={copy}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

/**
 * A destructive action behind a confirmation dialog; with `reasonLabel`, the dialog asks for the
 * reason the API records (lock, disable, delete).
 */
export function ConfirmAction({
  label,
  title,
  message,
  confirmLabel,
  reasonLabel,
  color = 'red',
  variant = 'default',
  onConfirm,
}: {
  label: string;
  title: string;
  message: ReactNode;
  confirmLabel?: string;
  reasonLabel?: string;
  color?: string;
  variant?: 'light' | 'filled' | 'default' | 'subtle';
  onConfirm: (reason: string) => Promise<unknown>;
}) {
  const [opened, { open, close }] = useDisclosure(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  return (
    <>
      <Button color={color} variant={variant} size="xs" onClick={open}>
        {label}
      </Button>
      <Modal opened={opened} onClose={close} title={title} centered>
        <Stack>
          <Text size="sm">{message}</Text>
          {reasonLabel && (
            <TextInput
              label={reasonLabel}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              data-autofocus
            />
          )}
          {error ? (
            <Text c="red.8" size="sm">
              {describeError(error)}
            </Text>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              color={color}
              loading={busy}
              onClick={async () => {
                setBusy(true);
                setError(undefined);
                try {
                  await onConfirm(reason.trim());
                  setReason('');
                  close();
                } catch (e) {
                  setError(e);
                } finally {
                  setBusy(false);
                }
              }}
            >
              {confirmLabel ?? label}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

export const formatDate = (value: string | null | undefined) => (value ? new Date(value).toLocaleString() : '—');

/**
 * One of a user's lists the authorization server keeps (sessions, grants, trusted devices): its
 * error and table. It lists them for active users only: for a locked, disabled or deleted user it
 * answers 404 user_not_found (it checks the user's tenant through their claims). Locking, disabling
 * and deleting end every session, grant and token anyway: said so instead of an error.
 */
export function UserAccessTable<T>({
  list,
  status,
  what,
  ...table
}: { list: Pick<Loaded<T[]>, 'data' | 'error'>; status: string; what: string } & Omit<DataTableProps<T>, 'rows'>) {
  const { error } = list;
  if (status !== 'active' && error instanceof ApiCallError && error.code === 'user_not_found') {
    return (
      <Alert color="gray" title={`No ${what}`}>
        This user is {status}: that ended all their {what}, and those of an inactive user are not listed.
      </Alert>
    );
  }
  return (
    <Stack>
      <LoadedTable list={list} {...table} />
    </Stack>
  );
}

/**
 * The Revoke button of a row in one of a user's lists (sessions, grants, trusted devices), for who
 * may change users: confirmed, then `revoke` (the dialog shows a refusal), then the list loaded again.
 */
export function RevokeAccess({
  list,
  title,
  message,
  revoke,
}: {
  list: Pick<Loaded<unknown>, 'reload'>;
  title: string;
  message: string;
  revoke: () => Promise<{ error?: unknown; response: Response }>;
}) {
  const { has } = useAdmin();
  if (!has('users:write')) return null;
  return <ConfirmAction label="Revoke" title={title} message={message} onConfirm={reloadAfter(list, revoke)} />;
}

/** A loaded list as a table (its `rows`), below the error of its last load. */
export function LoadedTable<T>({
  list,
  ...table
}: { list: Pick<Loaded<T[]>, 'data' | 'error'> } & Omit<DataTableProps<T>, 'rows'>) {
  return (
    <>
      <ErrorAlert error={list.error} />
      <DataTable rows={list.data} {...table} />
    </>
  );
}
