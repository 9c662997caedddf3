import { Client, type ClientConfig } from 'pg';
import type { DataSourceOptions } from 'typeorm';

const RECONNECT_DELAY_MS = 2_000;

/**
 * A dedicated connection LISTENing on one Postgres NOTIFY channel (the outbox relay's wake-up
 * call, the cluster's configuration changes). Best effort: its users also poll, so a lost
 * connection only costs latency until it is re-established; on every (re)connect `onNotify` is
 * called once without a payload, so changes made while nobody listened are picked up.
 */
export class PgNotifications {
  /** The connection being opened or in use; events from older ones are ignored. */
  private client: Client | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly connection: ClientConfig,
    private readonly channel: string,
    private readonly onNotify: (payload?: string) => void,
    private readonly onError: (error: Error) => void,
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a plain channel name: ${channel}`);
  }

  /** The listener's connection settings, taken from the service's data source. */
  static connectionFor(options: DataSourceOptions, applicationName: string): ClientConfig | null {
    if (options.type !== 'postgres') return null;
    return {
      connectionString: options.url,
      host: options.host,
      port: options.port,
      user: options.username,
      password: options.password as ClientConfig['password'],
      database: options.database,
      ssl: options.ssl as ClientConfig['ssl'],
      keepAlive: true,
      application_name: applicationName,
    };
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client(this.connection);
    this.client = client;
    client.on('notification', (message) => this.onNotify(message.payload || undefined));
    client.on('error', (error) => this.reconnect(client, error));
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      this.reconnect(client, error as Error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    // Anything committed while we were not listening is found by this extra pass.
    this.onNotify();
  }

  private reconnect(client: Client, error?: Error): void {
    if (this.stopped || this.retryTimer || this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    if (error) this.onError(error);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, RECONNECT_DELAY_MS);
  }
}
