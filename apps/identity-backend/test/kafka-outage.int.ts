import { eventually, fetchJson, scrapeMetric, TcpProxy, testKafkaBrokers } from '@platform/testing';
import { type IdentityApi, startIdentityApi } from './identity-api.harness';

/**
 * The brokers become unreachable (a proxy in front of the real broker is cut): health
 * details and metrics say so, degraded once the outage outlasts the threshold, while
 * readiness and the API stay up; both recover when the brokers return.
 */
describe('Kafka outage: degraded after a threshold, never unready', () => {
  let proxy: TcpProxy;
  let api: IdentityApi;

  beforeAll(async () => {
    proxy = await TcpProxy.start(testKafkaBrokers()[0]);
    api = await startIdentityApi('kafka_outage', { KAFKA_BROKERS: proxy.address, KAFKA_DEGRADED_AFTER_SECONDS: '3' });
  });

  afterAll(async () => {
    await api?.stop();
    await proxy?.stop();
  });

  const ready = () => fetchJson(`${api.baseUrl}/health/ready`);
  const metric = (name: string) => scrapeMetric(api.baseUrl, name);
  /** The first answer of `probe` that is `ok`. */
  async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
    let last: T | undefined;
    const probeOk = async () => ((last = await probe()), ok(last));
    await eventually(probeOk, { timeoutMs: 15_000, everyMs: 200, failure: () => `last: ${JSON.stringify(last)}` });
    return last!;
  }

  it('reports a short outage, then degraded past the threshold, and recovers', async () => {
    const before = await ready();
    expect(before.status).toBe(200);
    expect(before.body.details.kafka).toMatchObject({ status: 'up', reachable: true, unreachableSeconds: 0 });
    expect(await metric('kafka_broker_reachable')).toBe(1);
    expect(await metric('kafka_broker_degraded')).toBe(0);

    await proxy.cut();
    // Noticed at once, but below the threshold the dependency is not yet degraded.
    const noticed = await until(ready, (r) => r.body.details.kafka.reachable === false);
    expect(noticed.status).toBe(200);
    expect(noticed.body.details.kafka).toMatchObject({ status: 'up', reachable: false, degraded: false });
    expect(noticed.body.details.kafka.unreachableSince).toEqual(expect.any(String));

    const degraded = await until(ready, (r) => r.body.details.kafka.status === 'degraded');
    expect(degraded.status).toBe(200); // terminus calls the whole report "degraded"; readiness holds
    expect(degraded.body.details.database.status).toBe('up');
    expect(degraded.body.details.kafka).toMatchObject({ reachable: false, degraded: true });
    expect(degraded.body.details.kafka.unreachableSeconds).toBeGreaterThanOrEqual(3);
    expect(await metric('kafka_broker_reachable')).toBe(0);
    expect(await metric('kafka_broker_degraded')).toBe(1);
    expect(await metric('kafka_broker_unreachable_seconds')).toBeGreaterThanOrEqual(3);

    // The API keeps working; its events wait in the outbox.
    const tenant = await api.call('POST', '/api/v1/tenants', api.platformAdminToken, {
      slug: 'during-outage',
      displayName: 'During outage',
    });
    expect(tenant.status).toBe(201);

    await proxy.restore();
    const recovered = await until(ready, (r) => r.body.details.kafka.status === 'up');
    expect(recovered.body.details.kafka).toMatchObject({ reachable: true, degraded: false, unreachableSeconds: 0 });
    expect(recovered.body.details.kafka.unreachableSince).toBeUndefined();
    expect(await metric('kafka_broker_degraded')).toBe(0);
    expect(await metric('kafka_broker_unreachable_seconds')).toBe(0);
  });
});
