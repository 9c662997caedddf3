import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cloudEventSchema, EVENT_DATA_SCHEMAS } from './event-catalogue';
import { EventTypes } from './identity-events';

const docs = join(__dirname, '../../../../docs/events');

describe('event catalogue', () => {
  it('has a schema for every event type', () => {
    expect(Object.keys(EVENT_DATA_SCHEMAS).sort()).toEqual(Object.values(EventTypes).sort());
  });

  it.each(Object.values(EventTypes))('publishes %s in docs/events, in step with the code', (type) => {
    const published = JSON.parse(readFileSync(join(docs, `${type}.schema.json`), 'utf8'));
    // Regenerate with: npm run -s build && node dist/apps/identity-backend/scripts/write-event-schemas.js
    expect(published).toEqual(cloudEventSchema(type));
  });
});
