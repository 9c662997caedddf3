import { Histogram, Registry } from 'prom-client';
import { KeyedHistogram } from './keyed-histogram';

const config = (registry: Registry) => ({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: [0.005, 0.01, 0.1, 1],
  registers: [registry],
});

describe('KeyedHistogram', () => {
  it('exposes keyed series exactly as prom-client exposes the same observations', async () => {
    const [ours, theirs] = [new Registry(), new Registry()];
    const keyed = new KeyedHistogram({ ...config(ours), labelNames: [...config(ours).labelNames] });
    const plain = new Histogram({ ...config(theirs), labelNames: [...config(theirs).labelNames] });
    const observations: [string, string, string, number][] = [
      ['POST', '/token', '200', 0.004],
      ['POST', '/token', '200', 0.05],
      ['POST', '/token', '400', 2],
      ['GET', '/jwks', '200', 0.01],
    ];
    for (const [method, route, status, value] of observations) {
      keyed.observeSeries(`${method} ${status} ${route}`, () => ({ method, route, status_code: status }), value);
      plain.observe({ method, route, status_code: status }, value);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('starts afresh on reset', async () => {
    const registry = new Registry();
    const keyed = new KeyedHistogram({ ...config(registry), labelNames: [...config(registry).labelNames] });
    keyed.observeSeries('k', () => ({ method: 'GET', route: '/', status_code: '200' }), 0.2);
    keyed.reset();
    expect(await registry.metrics()).not.toContain('route="/"');
  });
});
