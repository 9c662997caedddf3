import { Button, Group, Stack, Text } from '@mantine/core';
import { unwrap } from '@platform/web';
import { useState } from 'react';
import { useT } from '../i18n';
import { act } from './common';
import { Dialog } from './dialog';

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
      <Dialog opened={open} onClose={() => setOpen(false)} title={label}>
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
      </Dialog>
    </>
  );
}

/**
 * Asks, removes (one API call), then reloads the screen's list and says it is done (or why it failed).
 * Its texts are the `removal` of the screen's catalogue section `texts`: the button's `label`, the
 * `question` (filled in with `values`) and the notification when it is `done`.
 */
export function RemoveButton({
  texts,
  values = {},
  remove,
  reload,
}: {
  texts: string;
  values?: Record<string, string>;
  remove: () => Promise<{ error?: unknown; response: Response }>;
  reload: () => void;
}) {
  const { t } = useT();
  return (
    <ConfirmButton
      label={t(`${texts}.removal.label`)}
      question={t(`${texts}.removal.question`, values)}
      onConfirm={() =>
        act(
          async () => {
            unwrap(await remove());
            reload();
          },
          t(`${texts}.removal.done`),
        )
      }
    />
  );
}
