import { OutboundErrorCode, type OutboundGuard, outboundRefusalOf } from '@platform/outbound';
import { ApiError } from '@platform/runtime';

/** Registration metadata naming URLs this server fetches itself (the rest are the browser's). */
const SERVER_FETCHED_URIS = ['jwks_uri', 'backchannel_logout_uri', 'sector_identifier_uri'] as const;

/** A registration naming a target the outbound guard refuses. */
export class OutboundTargetError extends ApiError {
  constructor(field: string, reason: string) {
    super(
      400,
      OutboundErrorCode.TargetForbidden,
      `${field} must be on the public internet: loopback, private and special-use addresses are refused`,
      { field, reason },
    );
  }
}

/**
 * Refuses, at registration time, metadata URLs the provider would later fetch from a loopback,
 * private or special-use address (the provider's fetch goes through the same guard at connect
 * time too; this turns a late `invalid_client` into a 400 the registering admin sees).
 */
export async function assertClientOutboundTargets(
  guard: OutboundGuard,
  metadata: Record<string, unknown>,
): Promise<void> {
  const targets: { field: string; uri: string }[] = SERVER_FETCHED_URIS.flatMap((field) =>
    typeof metadata[field] === 'string' ? [{ field, uri: metadata[field] as string }] : [],
  );
  const requestUris = Array.isArray(metadata.request_uris) ? metadata.request_uris : [];
  targets.push(...requestUris.filter((u) => typeof u === 'string').map((uri) => ({ field: 'request_uris', uri })));
  for (const { field, uri } of targets) {
    if (!URL.canParse(uri)) continue; // the provider's own validation reports malformed URLs
    try {
      await guard.assertAllowedUrl(uri);
    } catch (error) {
      const refusal = outboundRefusalOf(error);
      if (!refusal) throw error;
      throw new OutboundTargetError(field, refusal.reason);
    }
  }
}
