import type { KafkaConnectivity } from '@platform/events';
import type { DependencyProbe } from './dependency-probe';

export class KafkaProbe implements DependencyProbe {
  readonly name = 'kafka';

  constructor(private readonly connectivity: KafkaConnectivity) {}

  async check() {
    const status = await this.connectivity.status();
    return { ok: status.reachable, ...status };
  }
}
