import { BoundedCache } from './bounded-cache';

describe('BoundedCache', () => {
  it('serves a loaded value, misses included, until its TTL', async () => {
    const cache = new BoundedCache<string | null>({ max: 10, ttlMs: 60_000 });
    let loads = 0;
    const load = async () => (loads++, null);
    await expect(cache.get('unknown-client', load)).resolves.toBeNull();
    await expect(cache.get('unknown-client', load)).resolves.toBeNull();
    expect(loads).toBe(1);
  });

  it('never holds more than max entries, however many keys are asked for', async () => {
    const cache = new BoundedCache<number>({ max: 100, ttlMs: 60_000 });
    for (let i = 0; i < 10_000; i++) await cache.get(`random-client-${i}`, async () => i);
    expect(cache.size).toBe(100);
  });

  it('loads a key once for concurrent callers', async () => {
    const cache = new BoundedCache<number>({ max: 10, ttlMs: 60_000 });
    let loads = 0;
    const load = () => new Promise<number>((resolve) => setTimeout(() => resolve(++loads), 20));
    const values = await Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)]);
    expect(values).toEqual([1, 1, 1]);
    expect(loads).toBe(1);
  });

  it('loads again after expiry and after clear(), and keeps nothing a clear() overtook', async () => {
    const cache = new BoundedCache<number>({ max: 10, ttlMs: 30 });
    let n = 0;
    const load = async () => ++n;
    expect(await cache.get('k', load)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await cache.get('k', load)).toBe(2);
    cache.clear();
    expect(await cache.get('k', load)).toBe(3);

    let release!: (value: number) => void;
    const slow = cache.get('slow', () => new Promise<number>((resolve) => (release = resolve)));
    cache.clear();
    release(41);
    expect(await slow).toBe(41);
    expect(await cache.get('slow', async () => 42)).toBe(42);
  });

  it('a failed load is not cached', async () => {
    const cache = new BoundedCache<number>({ max: 10, ttlMs: 60_000 });
    await expect(cache.get('k', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    await expect(cache.get('k', async () => 7)).resolves.toBe(7);
  });
});
