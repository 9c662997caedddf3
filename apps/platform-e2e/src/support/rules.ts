/**
 * `expect`, with the security rule an assertion checks put first in its failure message:
 *
 *   expectRule('RFC 9700 §4.1.1: exact redirect URI matching (trailing slash)', res.status).toBe(400);
 *
 * fails with "RFC 9700 §4.1.1: exact redirect URI matching (trailing slash)" above jest's own
 * diff, so a red hostile-input run says which rule broke. `.not`, `.resolves` and `.rejects`
 * chain as usual.
 */
export function expectRule<T>(rule: string, actual: T): jest.JestMatchers<T> {
  return named(rule, expect(actual)) as jest.JestMatchers<T>;
}

function named(rule: string, target: object): object {
  return new Proxy(target, {
    get(object, property) {
      const value = Reflect.get(object, property);
      if (typeof value === 'function') {
        return (...args: unknown[]) => {
          try {
            const result = value.apply(object, args);
            return result instanceof Promise ? result.catch((error: unknown) => rethrow(rule, error)) : result;
          } catch (error) {
            return rethrow(rule, error);
          }
        };
      }
      return value !== null && typeof value === 'object' ? named(rule, value) : value;
    },
  });
}

function rethrow(rule: string, error: unknown): never {
  if (error instanceof Error) {
    error.message = `Broken rule: ${rule}\n\n${error.message}`;
    // Jest prints matcherResult.message for assertion errors: keep the rule in it too.
    const withResult = error as Error & { matcherResult?: { message: string } };
    if (withResult.matcherResult) {
      withResult.matcherResult = { ...withResult.matcherResult, message: error.message };
    }
  }
  throw error;
}

/** The suites' one polling helper (events travel through Kafka): see @platform/testing. */
export { eventually } from '@platform/testing';
