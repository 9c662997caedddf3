import { ManualClock } from '@platform/runtime';
import type { ClientsRepository } from './clients.repository';
import { WebOrigins } from './web-origins';

describe('WebOrigins', () => {
  const setUp = () => {
    let declared = new Set(['https://app.example']);
    const clients = { webOrigins: jest.fn(async () => declared) };
    const clock = new ManualClock(Date.parse('2026-12-01T12:00:00Z'));
    const origins = new WebOrigins(clients as unknown as ClientsRepository, clock);
    return { origins, clients, clock, declare: (...list: string[]) => (declared = new Set(list)) };
  };

  it('answers a burst of look-ups from one read of the registered origins', async () => {
    const { origins, clients } = setUp();
    await expect(origins.allowed('https://app.example')).resolves.toBe(true);
    await expect(origins.allowed('https://evil.example')).resolves.toBe(false);
    expect(clients.webOrigins).toHaveBeenCalledTimes(1);
  });

  it('sees a newly registered origin after a few seconds, not before', async () => {
    const { origins, clients, clock, declare } = setUp();
    await origins.allowed('https://app.example');
    declare('https://app.example', 'https://new-spa.example');
    clock.advance(5_000);
    await expect(origins.allowed('https://new-spa.example')).resolves.toBe(false);
    clock.advance(1);
    await expect(origins.allowed('https://new-spa.example')).resolves.toBe(true);
    expect(clients.webOrigins).toHaveBeenCalledTimes(2);
  });

  it('reads again after a failed read instead of keeping the failure', async () => {
    const { origins, clients } = setUp();
    clients.webOrigins.mockRejectedValueOnce(new Error('database down'));
    await expect(origins.allowed('https://app.example')).rejects.toThrow('database down');
    await expect(origins.allowed('https://app.example')).resolves.toBe(true);
  });
});
