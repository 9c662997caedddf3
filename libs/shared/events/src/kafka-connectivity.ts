import { Kafka, logLevel } from 'kafkajs';

export interface BrokerStatus {
  configured: boolean;
  /** Whether the last probe reached the cluster. */
  reachable: boolean;
  brokers: string[];
  detail?: string;
  /** Start of the current outage (first failed probe after a successful one); absent while reachable. */
  unreachableSince?: string;
  /** How long the current outage has lasted; 0 while reachable. */
  unreachableSeconds: number;
  /** Not configured, or unreachable for at least the degraded threshold. */
  degraded: boolean;
}

export interface KafkaConnectivityOptions {
  /** How long a probe's answer is reused (default 3 s). */
  cacheMs?: number;
  /** An outage counts as degraded once it has lasted this long (default 30 s; 0 = at once). */
  degradedAfterMs?: number;
}

interface ProbeResult {
  reachable: boolean;
  detail: string;
}

/**
 * Answers "can this process reach the Kafka cluster, and for how long has it not?" for
 * health details and metrics. Never throws: an outage is a degraded dependency, not a
 * failed readiness check, and only one that outlasts `degradedAfterMs` counts as degraded
 * (a broker restart is not an incident). Uses its own quiet, no-retry client and
 * remembers each answer briefly, so frequent probes neither spam logs nor pile up
 * connection attempts. `start()` probes in the background, so an outage is timed from
 * when it began rather than from whenever somebody next asked.
 */
export class KafkaConnectivity {
  private readonly kafka: Kafka | null;
  private readonly cacheMs: number;
  private readonly degradedAfterMs: number;
  private cached?: { at: number; result: Promise<ProbeResult> };
  private unreachableSince: number | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly brokers: string[],
    options: KafkaConnectivityOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? 3_000;
    this.degradedAfterMs = options.degradedAfterMs ?? 30_000;
    this.kafka =
      brokers.length === 0
        ? null
        : new Kafka({
            clientId: 'connectivity-probe',
            brokers,
            connectionTimeout: 1_000,
            requestTimeout: 2_000,
            retry: { retries: 0 },
            logLevel: logLevel.NOTHING,
          });
  }

  /** Probes every `intervalMs` until stop(), without keeping the process alive. */
  start(intervalMs = 5_000): void {
    if (!this.kafka || this.timer) return;
    void this.status();
    this.timer = setInterval(() => void this.status(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async status(): Promise<BrokerStatus> {
    if (!this.kafka) {
      return {
        configured: false,
        reachable: false,
        brokers: [],
        detail: 'KAFKA_BROKERS not set; events stay in the outbox',
        unreachableSeconds: 0,
        degraded: true,
      };
    }
    const now = Date.now();
    if (!this.cached || now - this.cached.at > this.cacheMs) {
      this.cached = { at: now, result: this.probe(now) };
    }
    const { reachable, detail } = await this.cached.result;
    const since = this.unreachableSince;
    const unreachableMs = reachable || since === null ? 0 : Math.max(0, Date.now() - since);
    return {
      configured: true,
      reachable,
      brokers: this.brokers,
      detail,
      ...(since === null || reachable ? {} : { unreachableSince: new Date(since).toISOString() }),
      unreachableSeconds: Math.floor(unreachableMs / 1000),
      degraded: !reachable && unreachableMs >= this.degradedAfterMs,
    };
  }

  private async probe(startedAt: number): Promise<ProbeResult> {
    const admin = this.kafka!.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      this.unreachableSince = null;
      return { reachable: true, detail: `${cluster.brokers.length} broker(s)` };
    } catch (error) {
      this.unreachableSince ??= startedAt;
      return { reachable: false, detail: (error as Error).message };
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
