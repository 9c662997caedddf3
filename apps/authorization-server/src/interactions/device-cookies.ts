import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What a device cookie says: this browser completed a sign-in as this user of this tenant. */
export interface DeviceClaim {
  deviceId: string;
  userId: string;
  tenantId: string;
}

const VERSION = 'd1';
const DEFAULT_MAX_AGE_DAYS = 180;
const MAX_USER_AGENT = 512;

/** Whether a device cookie's claim names this account: another user's or tenant's cookie never counts. */
export const isDeviceOf = (
  claim: DeviceClaim | null,
  account: { userId: string; tenantId: string },
): claim is DeviceClaim => !!claim && claim.userId === account.userId && claim.tenantId === account.tenantId;

/** The browser's User-Agent as a sign-in passes it on (device store, new-device alert): at most 512 characters. */
export const userAgentOf = (req: IncomingMessage): string =>
  String(req.headers['user-agent'] ?? '').slice(0, MAX_USER_AGENT);

/**
 * Device cookies (OWASP "Slow down online guessing attacks with device cookies"): after a
 * successful sign-in on the hosted pages the browser gets a cookie binding a random device id
 * to the user and tenant, MACed with a key derived from the keyring (older keys still verify
 * during a rotation) and carrying its own expiry. HttpOnly, SameSite=Lax, and on https Secure
 * with the `__Host-` prefix (no Domain, Path=/), so neither scripts nor sibling hosts can plant
 * or read it. On a later password sign-in its claim goes to the identity backend, which
 * exempts that user's sign-ins from the per-IP throttle (see the backend's SignInThrottle).
 * One cookie per browser: the last account signed in on it.
 */
export class DeviceCookies {
  readonly name: string;

  constructor(
    private readonly keys: Buffer[],
    private readonly secure: boolean,
    private readonly maxAgeDays = DEFAULT_MAX_AGE_DAYS,
    private readonly now: () => number = Date.now,
  ) {
    if (keys.length === 0) throw new Error('at least one device-cookie key is required');
    this.name = secure ? '__Host-device' : 'device';
  }

  /** A new browser's id: random, 128 bits. */
  static newDeviceId(): string {
    return randomBytes(16).toString('base64url');
  }

  /** A Set-Cookie value for this user; the device keeps its id when it already had one. */
  issue(account: { userId: string; tenantId: string }, previous: Pick<DeviceClaim, 'deviceId'> | null = null): string {
    const deviceId = previous?.deviceId ?? DeviceCookies.newDeviceId();
    const maxAge = this.maxAgeDays * 86_400;
    const payload = [VERSION, deviceId, account.userId, account.tenantId, Math.floor(this.now() / 1000) + maxAge].join(
      '.',
    );
    const value = `${payload}.${this.mac(this.keys[0]!, payload)}`;
    const attributes = [`Path=/`, `Max-Age=${maxAge}`, 'HttpOnly', 'SameSite=Lax', ...(this.secure ? ['Secure'] : [])];
    return [`${this.name}=${value}`, ...attributes].join('; ');
  }

  /** The claim of the request's device cookie when its MAC and expiry hold, else null. */
  read(req: IncomingMessage): DeviceClaim | null {
    const value = cookieValue(req.headers.cookie, this.name);
    const parts = value?.split('.') ?? [];
    if (parts.length !== 6 || parts[0] !== VERSION) return null;
    const [, deviceId, userId, tenantId, expires, presented] = parts as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (!/^\d+$/.test(expires) || Number(expires) * 1000 <= this.now()) return null;
    const payload = parts.slice(0, 5).join('.');
    const candidate = Buffer.from(presented);
    const valid = this.keys.some((key) => {
      const expected = Buffer.from(this.mac(key, payload));
      return expected.length === candidate.length && timingSafeEqual(expected, candidate);
    });
    return valid ? { deviceId, userId, tenantId } : null;
  }

  private mac(key: Buffer, payload: string): string {
    return createHmac('sha256', key).update(`device-cookie:${payload}`).digest('base64url');
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const pair of header?.split(';') ?? []) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}
