import { InMemoryDpopReplayStore } from './dpop-replay-store';

describe('InMemoryDpopReplayStore', () => {
  it('answers true once per jti while it lives, and again after it expired', async () => {
    let clock = 1_000;
    const store = new InMemoryDpopReplayStore(10, () => clock);
    await expect(store.firstUse('a', 2_000)).resolves.toBe(true);
    await expect(store.firstUse('a', 2_000)).resolves.toBe(false);
    clock = 2_001;
    await expect(store.firstUse('a', 3_000)).resolves.toBe(true);
  });

  it('forgets expired entries and stays within its bound', async () => {
    let clock = 0;
    const store = new InMemoryDpopReplayStore(3, () => clock);
    for (const jti of ['a', 'b', 'c', 'd', 'e']) await store.firstUse(jti, 100);
    expect(store.size).toBe(3);
    // The oldest made room.
    await expect(store.firstUse('e', 100)).resolves.toBe(false);
    await expect(store.firstUse('a', 100)).resolves.toBe(true);
    clock = 200;
    await store.firstUse('f', 300);
    expect(store.size).toBe(1);
  });
});
