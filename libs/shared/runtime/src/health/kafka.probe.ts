import type { KafkaConnectivity } from '@platform/events';
import type { DependencyProbe } from './dependency-probe';

/** Up while the brokers answer or have been away for less than the degraded threshold. */
export class KafkaProbe implements DependencyProbe {
  readonly name = 'kafka';

  constructor(private readonly connectivity: KafkaConnectivity) {}

  async check() {
    const status = await this.connectivity.status();
    return { ok: !status.degraded, ...status };
  }
}
