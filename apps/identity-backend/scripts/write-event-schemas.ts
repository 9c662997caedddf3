/** Writes docs/events/<type>.schema.json from the event catalogue (the test fails when they drift). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@platform/local-infra';
import { cloudEventSchema } from '../src/events/event-catalogue';
import { EventTypes } from '../src/events/identity-events';

const dir = join(workspaceRoot(), 'docs/events');
mkdirSync(dir, { recursive: true });
for (const type of Object.values(EventTypes)) {
  writeFileSync(join(dir, `${type}.schema.json`), `${JSON.stringify(cloudEventSchema(type), null, 2)}\n`);
}
process.stdout.write(`wrote ${Object.values(EventTypes).length} schemas to ${dir}\n`);
