import type { EntityManager } from 'typeorm';
import type { DomainEvent } from './cloud-event';
import { OutboxMessage } from './outbox-message.entity';
import { MAX_EVENT_BYTES, OutboxEventRejectedError, OutboxWriter } from './outbox-writer';

function fakeManager(inTransaction = true) {
  const insert = jest.fn().mockResolvedValue(undefined);
  const query = jest.fn().mockResolvedValue([]);
  const manager = { queryRunner: { isTransactionActive: inTransaction }, insert, query };
  return { manager: manager as unknown as EntityManager, insert, query };
}

const event = (overrides: Partial<DomainEvent> = {}): DomainEvent => ({
  type: 'identity.user.created.v1',
  topic: 'identity.user.v1',
  aggregateId: 'user-1',
  tenantId: 'tenant-1',
  data: { userId: 'user-1' },
  ...overrides,
});

describe('OutboxWriter', () => {
  it('inserts one row per event, keyed by aggregate, then notifies the relay', async () => {
    const { manager, insert, query } = fakeManager();
    await new OutboxWriter('/identity-backend').append(manager, [event(), event({ aggregateId: 'user-2' })]);

    const [target, rows] = insert.mock.calls[0];
    expect(target).toBe(OutboxMessage);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({
      topic: 'identity.user.v1',
      messageKey: 'user-2',
      payload: { source: '/identity-backend', subject: 'user-2', type: 'identity.user.created.v1' },
      headers: { ce_type: 'identity.user.created.v1', ce_id: rows[1].eventId },
    });
    expect(rows[1].eventId).toBe(rows[1].payload.id);
    expect(query).toHaveBeenCalledWith('SELECT pg_notify($1, $2)', ['outbox', '']);
  });

  it('takes the source per call when given one', async () => {
    const { manager, insert } = fakeManager();
    await new OutboxWriter().append(manager, [event()], '/authorization-server');
    expect(insert.mock.calls[0][1][0].payload.source).toBe('/authorization-server');
  });

  it('refuses to write outside a transaction', async () => {
    const { manager, insert } = fakeManager(false);
    await expect(new OutboxWriter('/s').append(manager, [event()])).rejects.toThrow(/inside the transaction/);
    expect(insert).not.toHaveBeenCalled();
  });

  it('rejects an event over 256 KB and writes none of the batch', async () => {
    const { manager, insert } = fakeManager();
    const big = event({ data: { blob: 'x'.repeat(MAX_EVENT_BYTES) } });
    await expect(new OutboxWriter('/s').append(manager, [event(), big])).rejects.toThrow(OutboxEventRejectedError);
    expect(insert).not.toHaveBeenCalled();
  });

  it('rejects topic names Kafka would refuse and missing keys', async () => {
    const { manager } = fakeManager();
    const writer = new OutboxWriter('/s');
    await expect(writer.append(manager, [event({ topic: 'bad topic!' })])).rejects.toThrow(/topic name/);
    await expect(writer.append(manager, [event({ aggregateId: '' })])).rejects.toThrow(/aggregate id/);
  });

  it('does nothing for no events', async () => {
    const { manager, insert, query } = fakeManager(false);
    await new OutboxWriter('/s').append(manager, []);
    expect(insert).not.toHaveBeenCalled();
    expect(query).not.toHaveBeenCalled();
  });
});
