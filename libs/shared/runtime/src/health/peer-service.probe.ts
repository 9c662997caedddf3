import type { DependencyProbe } from './dependency-probe';

/** Checks that another platform service answers its liveness endpoint. */
export class PeerServiceProbe implements DependencyProbe {
  constructor(
    readonly name: string,
    private readonly baseUrl: string | undefined,
  ) {}

  async check(signal: AbortSignal) {
    if (!this.baseUrl) return { ok: false, detail: 'not configured' };
    const response = await fetch(`${this.baseUrl}/health/live`, { signal });
    return { ok: response.ok, url: this.baseUrl, httpStatus: response.status };
  }
}
