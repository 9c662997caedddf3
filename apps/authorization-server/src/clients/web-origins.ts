import { Injectable } from '@nestjs/common';
import { Clock } from '@platform/runtime';
import { ClientsRepository } from './clients.repository';

/** Short: a newly registered SPA may call the identity backend within seconds. */
const REFRESH_MS = 5_000;

/**
 * The browser origins registered clients declared (`webOrigins`), for the identity backend's CORS.
 * Read as one set and kept for a few seconds, so a burst of look-ups costs one query.
 */
@Injectable()
export class WebOrigins {
  private loaded: { at: number; origins: Promise<Set<string>> } | null = null;

  constructor(
    private readonly clients: ClientsRepository,
    private readonly clock: Clock,
  ) {}

  async allowed(origin: string): Promise<boolean> {
    const now = this.clock.nowMs();
    if (!this.loaded || now - this.loaded.at > REFRESH_MS) {
      const origins = this.clients.webOrigins();
      this.loaded = { at: now, origins };
      origins.catch(() => (this.loaded = null));
    }
    return (await this.loaded.origins).has(origin);
  }
}
