import { cloudEventHeaders, toCloudEvent, type DomainEvent } from './cloud-event';

const event: DomainEvent = {
  type: 'identity.user.created.v1',
  topic: 'identity.user.v1',
  aggregateId: 'user-1',
  tenantId: 'tenant-1',
  data: { userId: 'user-1' },
};

describe('toCloudEvent', () => {
  it('builds a CloudEvents 1.0 JSON envelope with the tenantid extension', () => {
    const now = new Date('2026-01-02T03:04:05.678Z');
    const cloudEvent = toCloudEvent(event, '/identity-backend', now);
    expect(cloudEvent).toEqual({
      specversion: '1.0',
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      source: '/identity-backend',
      type: 'identity.user.created.v1',
      subject: 'user-1',
      time: '2026-01-02T03:04:05.678Z',
      datacontenttype: 'application/json',
      tenantid: 'tenant-1',
      data: { userId: 'user-1' },
    });
  });

  it('gives every event its own id', () => {
    expect(toCloudEvent(event, '/s').id).not.toBe(toCloudEvent(event, '/s').id);
  });

  it('uses attribute names CloudEvents allows (lower-case alphanumerics)', () => {
    for (const name of Object.keys(toCloudEvent(event, '/s'))) expect(name).toMatch(/^[a-z0-9]{1,20}$/);
  });
});

describe('cloudEventHeaders', () => {
  it('marks structured mode and copies the routing attributes', () => {
    const cloudEvent = toCloudEvent(event, '/identity-backend');
    expect(cloudEventHeaders(cloudEvent)).toEqual({
      'content-type': 'application/cloudevents+json; charset=utf-8',
      ce_id: cloudEvent.id,
      ce_type: 'identity.user.created.v1',
      ce_source: '/identity-backend',
      ce_tenantid: 'tenant-1',
    });
  });
});
