import { EventTypes, groupEvent, tenantEvent, Topics, userEvent } from './identity-events';

describe('identity event builders', () => {
  it("put the aggregate's id first in the data, on its topic and in its tenant", () => {
    const user = { id: 'u1', tenantId: 't1', email: 'not@copied.example' };
    expect(userEvent(EventTypes.userCreated, user, { actor: 'a1' })).toEqual({
      type: EventTypes.userCreated,
      topic: Topics.user,
      aggregateId: 'u1',
      tenantId: 't1',
      data: { userId: 'u1', actor: 'a1' },
    });
    expect(Object.keys(userEvent(EventTypes.userCreated, user, { actor: 'a1' }).data)).toEqual(['userId', 'actor']);
    expect(groupEvent(EventTypes.groupCreated, { id: 'g1', tenantId: 't1' })).toMatchObject({
      topic: Topics.group,
      aggregateId: 'g1',
      data: { groupId: 'g1' },
    });
  });

  it("file a tenant's events in that tenant", () => {
    expect(tenantEvent(EventTypes.tenantCreated, { id: 't1' })).toEqual({
      type: EventTypes.tenantCreated,
      topic: Topics.tenant,
      aggregateId: 't1',
      tenantId: 't1',
      data: { tenantId: 't1' },
    });
  });
});
