import { Button, Group, Modal, type ModalProps, Stack } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A form in a dialog: its fields, then Cancel and the submit button (busy while `onSubmit` runs).
 * `DialogForm` alone is the form for a dialog that shows something else once it is done (a secret
 * shown once).
 */
export function DialogForm({
  onSubmit,
  onCancel,
  busy,
  submitLabel = 'Create',
  submitDisabled,
  children,
}: {
  onSubmit: () => Promise<unknown>;
  onCancel: () => void;
  busy: boolean;
  submitLabel?: string;
  submitDisabled?: boolean;
  children: ReactNode;
}) {
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void onSubmit();
      }}
    >
      <Stack>
        {children}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={busy} disabled={submitDisabled}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function FormDialog({
  title,
  opened = true,
  size,
  onClose,
  ...form
}: {
  title: string;
  opened?: boolean;
  size?: ModalProps['size'];
  onClose: () => void;
} & Omit<Parameters<typeof DialogForm>[0], 'onCancel'>) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered size={size}>
      <DialogForm onCancel={onClose} {...form} />
    </Modal>
  );
}
