import { notifications } from '@mantine/notifications';
import { describeError, unwrap } from '@platform/web';
import { type DependencyList, useCallback, useEffect, useState } from 'react';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Loads once per change of `deps`; `reload()` loads again (after a change the screen made). */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let cancelled = false;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => !cancelled && setState({ data, loading: false }),
      (error: unknown) => !cancelled && setState({ error, loading: false }),
    );
    return () => {
      cancelled = true;
    };
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

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
 * A confirmed change to what a screen lists (remove, revoke, rotate): the API call, whose refusal
 * throws (the confirmation dialog shows it), then the list loaded again.
 */
export const reloadAfter =
  (list: Pick<Loaded<unknown>, 'reload'>, call: () => Promise<{ error?: unknown; response: Response }>) =>
  async (): Promise<void> => {
    unwrap(await call());
    list.reload();
  };
