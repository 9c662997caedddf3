import { ApiError } from '@platform/runtime';
import { ALL_TENANTS } from '../access/management-access';
import { deviceHashOf, userAgentFamily } from './trusted-devices.service';
import { trustedDevicesUnderTest } from './trusted-devices.spec-helper';

const TENANT = '00000000-0000-4000-8000-000000000001';
const OTHER_TENANT = '00000000-0000-4000-8000-000000000002';
const ada = { userId: '10000000-0000-4000-8000-000000000001', tenantId: TENANT };
const bob = { userId: '10000000-0000-4000-8000-000000000002', tenantId: TENANT };
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const DAY = 86_400_000;
const signIn = (amr: string[] = ['pwd', 'otp'], days = 30) => ({ amr, userAgent: FIREFOX, days, clientId: 'app-1' });
const claimOf = (account: typeof ada, deviceId = 'device-1') => ({ deviceId, ...account });

describe('TrustedDevices', () => {
  it('trusts a device until now + N days (remembered after a code, strong after a passkey), audited', async () => {
    const { service, repository, clock, events } = trustedDevicesUnderTest();
    const device = await service.trust(ada, 'device-1', signIn());
    expect(device).toMatchObject({
      trustLevel: 'remembered',
      userAgentFamily: 'Firefox on Windows',
      trustedUntil: new Date(clock.nowMs() + 30 * DAY),
    });
    // Only the device id's hash is stored.
    expect(repository.rows[0]!.deviceHash).toBe(deviceHashOf('device-1'));
    expect(JSON.stringify(repository.rows)).not.toContain('"device-1"');
    expect(events).toEqual([
      {
        type: 'authz.device.trusted.v1',
        subject: ada.userId,
        tenantId: TENANT,
        data: expect.objectContaining({ userId: ada.userId, deviceId: device.id, trustLevel: 'remembered' }),
      },
    ]);
    expect((await service.trust(ada, 'device-2', signIn(['pwd', 'hwk', 'mfa']))).trustLevel).toBe('strong');
  });

  it('bounds the duration to 1..365 days whatever the setting says', async () => {
    const { service, clock } = trustedDevicesUnderTest();
    expect((await service.trust(ada, 'd', signIn(undefined, 10_000))).trustedUntil).toEqual(
      new Date(clock.nowMs() + 365 * DAY),
    );
    expect((await service.trust(ada, 'e', signIn(undefined, 0))).trustedUntil).toEqual(new Date(clock.nowMs() + DAY));
  });

  it('answers the trust only for the cookie of the same user and tenant, while unexpired and unrevoked', async () => {
    const { service, clock } = trustedDevicesUnderTest();
    const device = await service.trust(ada, 'device-1', signIn());
    expect(await service.trustedFor(ada, null)).toBeNull();
    expect((await service.trustedFor(ada, claimOf(ada)))?.id).toBe(device.id);
    // Another account's cookie on this browser, or the same id claimed for another tenant: no trust.
    expect(await service.trustedFor(ada, claimOf(bob))).toBeNull();
    expect(await service.trustedFor(ada, { ...claimOf(ada), tenantId: OTHER_TENANT })).toBeNull();
    expect(await service.trustedFor(bob, claimOf(bob))).toBeNull();
    // A hit is the device's last sign-in.
    clock.advance(DAY);
    expect((await service.trustedFor(ada, claimOf(ada)))?.lastSeenAt).toEqual(clock.now());
    clock.advance(29 * DAY);
    expect(await service.trustedFor(ada, claimOf(ada))).toBeNull();
  });

  it('lists and revokes a user’s own devices, marking this browser; revoked trust is gone at once', async () => {
    const { service, events } = trustedDevicesUnderTest();
    const here = await service.trust(ada, 'device-1', signIn());
    await service.trust(ada, 'device-2', signIn());
    await service.trust(bob, 'device-3', signIn());
    const mine = await service.listMine(ada, claimOf(ada));
    expect(mine.map((d) => [d.id === here.id, d.current])).toEqual(
      expect.arrayContaining([
        [true, true],
        [false, false],
      ]),
    );
    expect(mine).toHaveLength(2);
    // Bob's cookie on this browser does not make Ada's device "this one".
    expect((await service.listMine(ada, claimOf(bob))).some((d) => d.current)).toBe(false);

    await service.revoke({ owner: ada }, ada.userId, here.id, ada.userId);
    expect(await service.trustedFor(ada, claimOf(ada))).toBeNull();
    expect(events.at(-1)).toMatchObject({
      type: 'authz.device.revoked.v1',
      data: { userId: ada.userId, deviceId: here.id, actor: ada.userId },
    });
    // Twice, someone else's, or not an id at all: 404 device_not_found.
    for (const id of [here.id, 'not-a-uuid']) {
      await expect(service.revoke({ owner: ada }, ada.userId, id, ada.userId)).rejects.toMatchObject({
        status: 404,
        code: 'device_not_found',
      });
    }
    await expect(service.list({ owner: ada }, bob.userId)).rejects.toMatchObject({ code: 'user_not_found' });
  });

  it('lets administrators reach their tenant’s users only (404 user_not_found across tenants), platform admins anyone', async () => {
    const { service, identity } = trustedDevicesUnderTest();
    identity.addUser({ id: ada.userId, tenantId: TENANT, login: 'ada@acme.example', password: 'x'.repeat(12) });
    const device = await service.trust(ada, 'device-1', signIn());
    expect(await service.list({ scope: TENANT }, ada.userId)).toHaveLength(1);
    expect(await service.list({ scope: ALL_TENANTS }, ada.userId)).toHaveLength(1);
    const across = service.revoke({ scope: OTHER_TENANT }, ada.userId, device.id, 'admin-b');
    await expect(across).rejects.toBeInstanceOf(ApiError);
    await expect(across).rejects.toMatchObject({ status: 404, code: 'user_not_found' });
    await expect(service.list({ scope: OTHER_TENANT }, ada.userId)).rejects.toMatchObject({ code: 'user_not_found' });
    await service.revoke({ scope: TENANT }, ada.userId, device.id, 'admin-a');
    expect(await service.list({ scope: TENANT }, ada.userId)).toEqual([]);
  });

  it('names the browser family coarsely', () => {
    expect(userAgentFamily(FIREFOX)).toBe('Firefox on Windows');
    expect(userAgentFamily('curl/8.5')).toBeNull();
  });
});
