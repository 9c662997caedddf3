import type { IncomingMessage } from 'node:http';
import { DeviceCookies } from './device-cookies';

const request = (setCookie: string): IncomingMessage =>
  ({ headers: { cookie: `other=1; ${setCookie.split(';')[0]}` } }) as IncomingMessage;
const account = { userId: '8c1e4a52-0c5e-4d1a-9a57-1f0f3f3c1a01', tenantId: '0b8f0c7e-7f41-4a5e-8f6e-2f0a5b2c9d11' };

describe('DeviceCookies', () => {
  const key = Buffer.alloc(32, 1);

  it('issues an HttpOnly, SameSite=Lax cookie whose claim reads back', () => {
    const cookies = new DeviceCookies([key], false);
    const set = cookies.issue(account);
    expect(set).toMatch(/^device=d1\./);
    expect(set).toContain('HttpOnly');
    expect(set).toContain('SameSite=Lax');
    expect(set).not.toContain('Secure');
    expect(cookies.read(request(set))).toEqual({ ...account, deviceId: expect.stringMatching(/^[\w-]{22}$/) });
  });

  it('uses the __Host- prefix and Secure on https', () => {
    const set = new DeviceCookies([key], true).issue(account);
    expect(set).toMatch(/^__Host-device=/);
    expect(set).toContain('; Secure');
    expect(set).toContain('Path=/');
    expect(set).not.toContain('Domain');
  });

  it('keeps the device id when the device signs in again', () => {
    const cookies = new DeviceCookies([key], false);
    const first = cookies.read(request(cookies.issue(account)))!;
    const again = cookies.read(request(cookies.issue({ ...account, userId: 'other-user' }, first)))!;
    expect(again.deviceId).toBe(first.deviceId);
    expect(again.userId).toBe('other-user');
  });

  it('refuses a tampered claim, another key, and an expired cookie; verifies with a rotated-out key', () => {
    const cookies = new DeviceCookies([key], false);
    const set = cookies.issue(account);
    expect(cookies.read(request(set.replace(account.userId, '00000000-0000-4000-8000-000000000000')))).toBeNull();
    expect(new DeviceCookies([Buffer.alloc(32, 2)], false).read(request(set))).toBeNull();
    expect(new DeviceCookies([Buffer.alloc(32, 2), key], false).read(request(set))).not.toBeNull();
    const later = new DeviceCookies([key], false, 180, () => Date.now() + 181 * 86_400_000);
    expect(later.read(request(set))).toBeNull();
    expect(cookies.read({ headers: {} } as IncomingMessage)).toBeNull();
  });
});
