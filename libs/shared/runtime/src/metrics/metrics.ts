import { collectDefaultMetrics, Registry } from 'prom-client';
import { KeyedHistogram } from './keyed-histogram';

/** One registry per service instance (not the global one), so tests can boot several apps. */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly httpRequestDuration: KeyedHistogram<'method' | 'route' | 'status_code'>;

  constructor(serviceName: string) {
    this.registry.setDefaultLabels({ service: serviceName });
    collectDefaultMetrics({ register: this.registry });
    this.httpRequestDuration = new KeyedHistogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, matched route and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
  }
}
