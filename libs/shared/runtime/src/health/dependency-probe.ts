/**
 * A dependency the service can run without (Kafka, the other service): its outage
 * is reported as degraded in the health details and never fails readiness.
 */
export interface DependencyProbe {
  readonly name: string;
  /** Resolves with details when healthy; rejects (or returns ok: false) when not. */
  check(signal: AbortSignal): Promise<{ ok: boolean } & Record<string, unknown>>;
}

export const DEPENDENCY_PROBES = Symbol('DEPENDENCY_PROBES');
