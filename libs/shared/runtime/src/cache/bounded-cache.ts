import { LRUCache } from 'lru-cache';

export interface BoundedCacheOptions {
  /** Most entries kept; the least recently used go first. */
  max: number;
  /** How long an entry is served before it is loaded again. */
  ttlMs: number;
}

/**
 * The one in-memory cache of both services: bounded in size (requests naming random keys cannot
 * grow it) and in age. Misses are remembered too (a `null` result is cached like any other), and
 * concurrent loads of one key share a single load. Replicas keep coherent by clearing their
 * caches when the cluster announces a change (@platform/database ClusterConfigWatcher); the TTL
 * is only the upper bound of staleness when no announcement can reach them.
 */
export class BoundedCache<V> {
  private readonly entries: LRUCache<string, { value: V }>;
  private readonly loading = new Map<string, Promise<V>>();
  private generation = 0;

  constructor(options: BoundedCacheOptions) {
    this.entries = new LRUCache({ max: options.max, ttl: options.ttlMs });
  }

  /** The cached value of `key`, or what `load` gives (then cached). */
  async get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit) return hit.value;
    const pending = this.loading.get(key);
    if (pending) return pending;
    const generation = this.generation;
    const loaded = load()
      .then((value) => {
        // A clear() while loading means the value may already be stale: serve it once, keep nothing.
        if (generation === this.generation) this.entries.set(key, { value });
        return value;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, loaded);
    return loaded;
  }

  delete(key: string): void {
    this.entries.delete(key);
    this.loading.delete(key);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.loading.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
