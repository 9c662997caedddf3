import type { TestInfrastructure } from '../infrastructure';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __TEST_INFRA__?: TestInfrastructure }).__TEST_INFRA__?.stop();
}
