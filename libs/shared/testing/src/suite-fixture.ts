/**
 * Something a whole `describe` shares (a running service, a platform, a tenant): started in a
 * `beforeAll`, stopped in an `afterAll` (only if it started), and usable at once as a `const`,
 * its properties resolving to the started value's once the `beforeAll` has run. It replaces the
 * `let x; beforeAll(async () => { x = await start(); }); afterAll(() => x?.stop());` header
 * every suite wrote again. Hooks run in the order they are registered: call it before the
 * suite's own `beforeAll` that uses it.
 */
export function suiteFixture<T extends object>(
  start: () => Promise<T>,
  stop: (started: T) => unknown = () => undefined,
  timeoutMs?: number,
): T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  }, timeoutMs);
  afterAll(async () => {
    if (started) await stop(started);
  });
  const current = (key: PropertyKey): T => {
    if (!started) throw new Error(`suite fixture read (${String(key)}) before its beforeAll started it`);
    return started;
  };
  return new Proxy({} as T, {
    get(_, key) {
      const value = current(key);
      const property: unknown = Reflect.get(value, key);
      // Bound, so that a method reads its own object's state (private fields included), not the proxy's.
      return typeof property === 'function' ? property.bind(value) : property;
    },
    has: (_, key) => Reflect.has(current(key), key),
    ownKeys: () => Reflect.ownKeys(current('ownKeys')),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(current(key), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}
