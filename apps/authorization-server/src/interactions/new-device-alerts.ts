import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IdentityInternalClient } from '@platform/contracts';
import { Clock } from '@platform/runtime';
import type { IncomingMessage } from 'node:http';
import { IDENTITY_CLIENT } from '../tokens';
import { type DeviceClaim, isDeviceOf, userAgentOf } from './device-cookies';
import { HostedTenants } from './hosted-tenants';

/**
 * "New sign-in from an unknown device" (seed 004). A device is a browser profile, recognised by
 * the device cookie (device-cookies.ts) this server sets after every hosted sign-in: random,
 * HttpOnly, MACed, 180 days, bound to one account. A sign-in is from a new device when the browser
 * brings no valid cookie of that account. Chosen over User-Agent + IP: an IP changes with every
 * network (false alarms on phones) and is shared behind NATs, a User-Agent is the same on millions
 * of machines (an attacker with the same browser would go unnoticed); a cookie fingerprints
 * nothing and is gone when the user clears their browser, which then counts as new, as it should.
 * One cookie per browser holds the last account signed in, so alternating accounts in one
 * browser alert again. The backend mails the user (its outbox), if their tenant has the alert on.
 */
@Injectable()
export class NewDeviceAlerts {
  private readonly logger = new Logger('NewDeviceAlerts');

  constructor(
    @Inject(IDENTITY_CLIENT) private readonly identity: IdentityInternalClient,
    private readonly tenants: HostedTenants,
    private readonly clock: Clock,
  ) {}

  /** Best effort: a backend outage must not fail the sign-in it would only have told about. */
  async signedIn(
    req: IncomingMessage,
    account: { userId: string; tenantId: string },
    known: DeviceClaim | null,
  ): Promise<void> {
    if (isDeviceOf(known, account)) return;
    if (!(await this.tenants.tenant(account.tenantId)).newDeviceAlerts) return;
    await this.identity
      .newDeviceSignIn({
        tenantId: account.tenantId,
        userId: account.userId,
        userAgent: userAgentOf(req),
        signedInAt: this.clock.now().toISOString(),
      })
      .catch((error: Error) => this.logger.warn(`new-device alert not sent: ${error.message}`));
  }
}
