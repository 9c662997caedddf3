/** Machine-readable codes of refused outbound requests. */
export enum OutboundErrorCode {
  TargetForbidden = 'outbound_target_forbidden',
  ResponseTooLarge = 'outbound_response_too_large',
}

export class OutboundError extends Error {
  constructor(
    readonly code: OutboundErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OutboundError';
  }
}

/** The target (scheme, IP literal or resolved address) is one the guard refuses; no connection was made. */
export class OutboundTargetForbiddenError extends OutboundError {
  constructor(
    /** The host (or URL, for a refused scheme) that was refused. */
    readonly target: string,
    /** E.g. `loopback`, `private`, `linkLocal`, `scheme`. */
    readonly reason: string,
  ) {
    super(OutboundErrorCode.TargetForbidden, `outbound request to ${target} refused (${reason})`);
    this.name = 'OutboundTargetForbiddenError';
  }
}

export class OutboundResponseTooLargeError extends OutboundError {
  constructor(
    readonly url: string,
    readonly limitBytes: number,
  ) {
    super(OutboundErrorCode.ResponseTooLarge, `response from ${url} exceeds ${limitBytes} bytes`);
    this.name = 'OutboundResponseTooLargeError';
  }
}

/**
 * The guard's refusal somewhere in an error's `cause` chain (fetch wraps socket errors in
 * `TypeError: fetch failed`). Duck-typed: fetch's errors may come from another realm (Jest's VM).
 */
export function outboundRefusalOf(error: unknown): OutboundTargetForbiddenError | null {
  let e = error as { cause?: unknown; errors?: unknown } | null | undefined;
  for (let depth = 0; e && typeof e === 'object' && depth < 8; depth++, e = e.cause as typeof e) {
    if (e instanceof OutboundTargetForbiddenError) return e;
    if (Array.isArray(e.errors)) {
      const inner = e.errors.map(outboundRefusalOf).find(Boolean);
      if (inner) return inner;
    }
  }
  return null;
}
