import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { describeError, type Loaded, unwrap } from '@platform/web';
import { useCallback, useState } from 'react';
import { useNavigate } from 'react-router';

/**
 * Runs an action of a screen: busy while it runs, the API's error code as a human message in a
 * notification when it fails, a success notification when asked for.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const run = useCallback(async <T>(action: () => Promise<T>, success?: string): Promise<T | undefined> => {
    setBusy(true);
    try {
      const result = await action();
      if (success) notifications.show({ color: 'green', message: success });
      return result;
    } catch (error) {
      notifications.show({ color: 'red', title: 'That did not work', message: describeError(error) });
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, run };
}

/**
 * The create dialog of what has a page of its own (a tenant, a user): `create` runs the API call as
 * useAction does; once created, the dialog closes (`onClose`) and the console opens its page,
 * `${list}/${id}`.
 */
export function useCreateThenOpen(list: string, onClose: () => void) {
  const navigate = useNavigate();
  const { busy, run } = useAction();
  const create = async (call: () => Promise<{ id: string }>, success: string) => {
    const created = await run(call, success);
    if (!created) return;
    onClose();
    void navigate(`${list}/${created.id}`);
  };
  return { busy, create };
}

/**
 * The dialog of a change to what a screen shows (create, edit): `open()` and `close()` it; `done()`
 * closes it and loads the screen's data again (`reload`).
 */
export function useChangeDialog(reload: () => void) {
  const [opened, { open, close }] = useDisclosure(false);
  const done = useCallback(() => {
    close();
    reload();
  }, [close, reload]);
  return { opened, open, close, done };
}

/**
 * A confirmed change to what a screen lists (remove, revoke, rotate): the API call, whose refusal
 * throws (the confirmation dialog shows it), then the list loaded again.
 */
export const reloadAfter =
  (list: Pick<Loaded<unknown>, 'reload'>, call: () => Promise<{ error?: unknown; response: Response }>) =>
  async (): Promise<void> => {
    unwrap(await call());
    list.reload();
  };
