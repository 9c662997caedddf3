import { Inject, Injectable } from '@nestjs/common';
import { abuseLimits, addressKey, RateLimiter } from '../common/rate-limiter';
import { IDENTITY_CONFIG } from '../common/tokens';
import type { IdentityBackendConfig } from '../config';

/**
 * Mail sent on request (password reset, verification) is limited per client IP and per
 * address, so nobody can bomb a mailbox or the sender's reputation. The address counts as
 * typed (normalized) whether or not it has an account: the answer cannot tell who exists.
 */
@Injectable()
export class MailLimits {
  private readonly limits: ReturnType<typeof abuseLimits>;

  constructor(
    private readonly limiter: RateLimiter,
    @Inject(IDENTITY_CONFIG) config: IdentityBackendConfig,
  ) {
    this.limits = abuseLimits(config);
  }

  /** Counts one mail request; throws 429 too_many_requests (with Retry-After) over either limit. */
  async consume(address: string, clientIp: string): Promise<void> {
    await this.limiter.consume(
      { limit: this.limits.mailPerIp, key: clientIp },
      { limit: this.limits.mailPerAddress, key: addressKey(address) },
    );
  }
}
