import { suiteFixture } from './suite-fixture';

class Counter {
  #count = 0;
  increment() {
    return ++this.#count;
  }
  get count() {
    return this.#count;
  }
}

describe('suiteFixture', () => {
  const stopped: Counter[] = [];
  const counter = suiteFixture(
    async () => new Counter(),
    (started) => stopped.push(started),
  );

  it("reads the started value's properties and calls its methods on it (private fields included)", () => {
    expect(counter.increment()).toBe(1);
    expect(counter.count).toBe(1);
    expect('increment' in counter).toBe(true);
  });

  it('is stopped only after the tests', () => {
    expect(stopped).toEqual([]);
  });
});

describe('suiteFixture read before its beforeAll ran', () => {
  const early = suiteFixture(async () => ({ answer: 42 }));
  let error: unknown;
  try {
    void early.answer;
  } catch (thrown) {
    error = thrown;
  }

  it('throws, naming what was read', () => {
    expect(String(error)).toMatch(/suite fixture read \(answer\) before its beforeAll started it/);
  });

  it('reads it once started', () => {
    expect(early.answer).toBe(42);
  });
});
