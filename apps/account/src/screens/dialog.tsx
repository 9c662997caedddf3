import { Button, Group, Modal, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { useT } from '../i18n';

/** A dialog of the account console: centred, focus trapped, closed by Escape or its close button (named in the user's language). */
export function Dialog({
  opened,
  onClose,
  title,
  children,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
}) {
  const { t } = useT();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={title}
      centered
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {children}
    </Modal>
  );
}

/** A form in a Dialog: its fields, then Cancel (closes it) and the submit button. */
export function FormDialog({
  onSubmit,
  submitLabel,
  submitColor,
  submitDisabled,
  children,
  ...dialog
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  onSubmit: () => void;
  submitLabel: string;
  submitColor?: string;
  submitDisabled?: boolean;
  children: ReactNode;
}) {
  const { t } = useT();
  return (
    <Dialog {...dialog}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        <Stack>
          {children}
          <Group justify="flex-end">
            <Button variant="default" onClick={dialog.onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color={submitColor} disabled={submitDisabled}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
