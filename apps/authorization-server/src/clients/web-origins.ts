import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Short: a newly registered SPA may call the identity backend within seconds. */
const REFRESH_MS = 5_000;

/**
 * The browser origins registered clients declared (`webOrigins`), for the identity backend's CORS.
 * Read as one set and kept for a few seconds, so a burst of look-ups costs one query.
 */
@Injectable()
export class WebOrigins {
  private loaded: { at: number; origins: Promise<Set<string>> } | null = null;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async allowed(origin: string): Promise<boolean> {
    if (!this.loaded || Date.now() - this.loaded.at > REFRESH_MS) {
      const origins = this.load();
      this.loaded = { at: Date.now(), origins };
      origins.catch(() => (this.loaded = null));
    }
    return (await this.loaded.origins).has(origin);
  }

  private async load(): Promise<Set<string>> {
    const rows: { origin: string }[] = await this.dataSource.query(
      `SELECT DISTINCT jsonb_array_elements_text(metadata->'web_origins') AS origin
         FROM oauth_clients WHERE jsonb_typeof(metadata->'web_origins') = 'array'`,
    );
    return new Set(rows.map((row) => row.origin));
  }
}
