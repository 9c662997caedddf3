import { Kafka, logLevel } from 'kafkajs';

export interface BrokerStatus {
  configured: boolean;
  reachable: boolean;
  brokers: string[];
  detail?: string;
}

/**
 * Answers "can this process reach the Kafka cluster right now?" for health details
 * and metrics. Never throws: an outage is a degraded dependency, not a failed
 * readiness check. Uses its own quiet, no-retry client and remembers the answer
 * briefly, so frequent probes neither spam logs nor pile up connection attempts.
 */
export class KafkaConnectivity {
  private readonly kafka: Kafka | null;
  private cached?: { at: number; status: Promise<BrokerStatus> };

  constructor(
    private readonly brokers: string[],
    private readonly cacheMs = 3_000,
  ) {
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

  status(): Promise<BrokerStatus> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > this.cacheMs) {
      this.cached = { at: now, status: this.probe() };
    }
    return this.cached.status;
  }

  private async probe(): Promise<BrokerStatus> {
    if (!this.kafka) {
      return {
        configured: false,
        reachable: false,
        brokers: [],
        detail: 'KAFKA_BROKERS not set; events stay in the outbox',
      };
    }
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return {
        configured: true,
        reachable: true,
        brokers: this.brokers,
        detail: `${cluster.brokers.length} broker(s)`,
      };
    } catch (error) {
      return { configured: true, reachable: false, brokers: this.brokers, detail: (error as Error).message };
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
