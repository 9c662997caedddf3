import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { unwrap } from '@platform/web';
import { useState } from 'react';
import { useT } from '../i18n';
import { act } from './common';

/** A button that asks before a destructive action (a dialog, focus trapped, Escape cancels). */
export function ConfirmButton({
  label,
  question,
  onConfirm,
  color = 'red',
  variant = 'light',
}: {
  label: string;
  question: string;
  onConfirm: () => Promise<unknown>;
  color?: string;
  variant?: 'light' | 'filled' | 'default' | 'outline';
}) {
  const { t } = useT();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <Button color={color} variant={variant} size="xs" onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={label}
        centered
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <Stack>
          <Text>{question}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              color={color}
              loading={busy}
              onClick={() => {
                setBusy(true);
                void onConfirm().finally(() => {
                  setBusy(false);
                  setOpen(false);
                });
              }}
            >
              {t('common.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** Asks, removes (one API call), then reloads the screen's list and says it is done (or why it failed). */
export function RemoveButton({
  label,
  question,
  done,
  remove,
  reload,
}: {
  label: string;
  question: string;
  /** The notification after a removal. */
  done: string;
  remove: () => Promise<{ error?: unknown; response: Response }>;
  reload: () => void;
}) {
  return (
    <ConfirmButton
      label={label}
      question={question}
      onConfirm={() =>
        act(async () => {
          unwrap(await remove());
          reload();
        }, done)
      }
    />
  );
}
