import { eventually } from './eventually';

describe('eventually', () => {
  it('returns the first truthy value the probe gives', async () => {
    let calls = 0;
    await expect(eventually(() => (++calls >= 3 ? `after ${calls}` : null), { everyMs: 1 })).resolves.toBe('after 3');
  });

  it('gives up after the timeout with the last value, or throws with the failure named', async () => {
    await expect(eventually(async () => 0, 20, 5)).resolves.toBe(0);
    await expect(eventually(() => false, { timeoutMs: 20, everyMs: 5, failure: 'the lag to fall' })).rejects.toThrow(
      'not within 20 ms: the lag to fall',
    );
    await expect(
      eventually(() => '', { timeoutMs: 10, everyMs: 5, failure: async (last) => `last was ${JSON.stringify(last)}` }),
    ).rejects.toThrow('last was ""');
  });
});
