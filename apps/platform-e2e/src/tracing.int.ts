import { Browser, OtlpReceiver, type ReceivedSpan, SpanKinds } from '@platform/testing';
import { signIn } from './support/sign-in';
import { type Platform, startPlatform } from './support/platform';
import { authorizationRequest, REDIRECT, redeem, relyingParty } from './support/relying-party';

const TEMPORARY = 'temporary password 123';
const CHOSEN = 'a brand new passphrase 9';

const path = (span: ReceivedSpan) => String(span.attributes['url.path'] ?? '');
const server = (service: string, method: string, pattern: RegExp) => (span: ReceivedSpan) =>
  span.service === service &&
  span.kind === SpanKinds.SERVER &&
  span.attributes['http.request.method'] === method &&
  pattern.test(path(span));

/**
 * Issue 7 "must show": one sign-in traced across both built services and Kafka, exported
 * over OTLP/HTTP to an in-process receiver. The password-change step of the sign-in makes
 * the identity backend record `identity.user.password_changed.v1`; its outbox row keeps the
 * request's trace context, so the relay's send span and the authorization server's process
 * span land in the sign-in's trace.
 */
describe('OpenTelemetry traces across the services and Kafka', () => {
  const receiver = new OtlpReceiver();
  let platform: Platform;
  let tenantId: string;

  beforeAll(async () => {
    const endpoint = await receiver.start();
    const otel = {
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    };
    platform = await startPlatform('tracing', { authz: otel, identity: otel });
    tenantId = (await platform.createTenant('traced')).id;
  });

  afterAll(async () => {
    await platform?.stop();
    await receiver.stop();
  });

  it('follows a sign-in from the login POST into the identity backend and through the Kafka publish', async () => {
    const user = await platform.createUser(tenantId, 'tracy@traced.example', TEMPORARY, { temporaryPassword: true });
    const rp = await relyingParty(platform, { type: 'confidential', trusted: true, tenantId });
    const request = await authorizationRequest(rp, 'openid');
    const back = await signIn(new Browser(), request.url, REDIRECT, {
      login: 'tracy@traced.example',
      password: TEMPORARY,
      newPassword: CHOSEN,
      consent: false,
    });
    expect(back.steps).toEqual(['login', 'password']);
    expect((await redeem(rp, back.location!, request)).claims()!.sub).toBe(user.id);

    // The login POST on the authorization server and the credential check it makes on the
    // identity backend: one trace, joined by the traceparent header of the fetch.
    const login = await receiver.waitFor(
      server('authorization-server', 'POST', /^\/interaction\/[^/]+\/login$/),
      'the login POST',
    );
    expect(login.attributes['http.route']).toBe('/interaction/:uid/login');
    const verify = await receiver.waitFor(
      (s) =>
        s.traceId === login.traceId && server('identity-backend', 'POST', /^\/internal\/v1\/credentials\/verify$/)(s),
      'the credential check in the login trace',
    );
    const fetchSpan = await receiver.waitFor((s) => s.spanId === verify.parentSpanId, 'the fetch of the check');
    expect(fetchSpan).toMatchObject({ service: 'authorization-server', kind: SpanKinds.CLIENT });
    expect(receiver.ancestors(verify).map((s) => s.spanId)).toContain(login.spanId);
    expect(verify.attributes['http.response.status_code']).toBe(200);
    // The backend's database work belongs to the same trace.
    await receiver.waitFor(
      (s) =>
        s.service === 'identity-backend' &&
        s.traceId === login.traceId &&
        s.attributes['db.system.name'] === 'postgresql',
      'a database span of the credential check',
    );

    // The password step: the backend changes the password and records the event in its
    // outbox; the relay publishes it in that trace, and the authorization server consumes it.
    const change = await receiver.waitFor(
      server('authorization-server', 'POST', /^\/interaction\/[^/]+\/password$/),
      'the password-change POST',
    );
    const setPassword = await receiver.waitFor(
      (s) =>
        s.traceId === change.traceId &&
        server('identity-backend', 'POST', new RegExp(`^/internal/v1/users/${user.id}/password$`))(s),
      'the password change on the identity backend',
    );
    expect(receiver.ancestors(setPassword).map((s) => s.spanId)).toContain(change.spanId);
    const send = await receiver.waitFor(
      (s) =>
        s.traceId === change.traceId &&
        s.kind === SpanKinds.PRODUCER &&
        s.attributes['cloudevents.event_type'] === 'identity.user.password_changed.v1',
      'the Kafka send of identity.user.password_changed.v1',
    );
    expect(send).toMatchObject({
      service: 'identity-backend',
      name: 'send identity.user.v1',
      attributes: expect.objectContaining({ 'messaging.system': 'kafka', 'messaging.kafka.message.key': user.id }),
    });
    // The relay ran later, in its own loop: the stored traceparent made it a child of the request.
    expect(send.parentSpanId).toBe(setPassword.spanId);
    const processed = await receiver.waitFor(
      (s) => s.kind === SpanKinds.CONSUMER && s.parentSpanId === send.spanId,
      'the authorization server processing the event',
    );
    expect(processed).toMatchObject({
      service: 'authorization-server',
      traceId: change.traceId,
      name: 'process identity.user.v1',
      attributes: expect.objectContaining({
        'messaging.consumer.group.name': expect.stringMatching(/^e2e-tracing-/),
        'messaging.message.id': send.attributes['messaging.message.id'],
      }),
    });
    // And the consumer's transaction (sessions ended: a password change) nests under it.
    await receiver.waitFor(
      (s) =>
        s.traceId === change.traceId && s.service === 'authorization-server' && s.parentSpanId === processed.spanId,
      'a span of the consumer transaction',
    );
  });

  it('puts the event of an admin API request in that request trace', async () => {
    const user = await platform.createUser(tenantId, 'eve@traced.example', 'a long enough password 1');
    const created = await receiver.waitFor(
      (s) =>
        s.kind === SpanKinds.PRODUCER &&
        s.attributes['cloudevents.event_type'] === 'identity.user.created.v1' &&
        s.attributes['messaging.kafka.message.key'] === user.id,
      'the send of identity.user.created.v1',
    );
    // The relay may publish before the request's own span has ended: wait for that one too.
    const request = await receiver.waitFor((s) => s.spanId === created.parentSpanId, 'the creating request');
    expect(request).toMatchObject({
      service: 'identity-backend',
      kind: SpanKinds.SERVER,
      traceId: created.traceId,
      name: 'POST /api/v1/users',
    });
    await receiver.waitFor(
      (s) => s.kind === SpanKinds.CONSUMER && s.parentSpanId === created.spanId && s.traceId === created.traceId,
      'the authorization server processing identity.user.created.v1',
    );
  });

  it('traces no health probes or metric scrapes', () => {
    expect(receiver.spans.filter((s) => /^\/(health|metrics)/.test(path(s)))).toEqual([]);
  });
});
