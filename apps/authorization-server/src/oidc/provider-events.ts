import { Logger } from '@nestjs/common';
import { SecurityEventTypes } from '@platform/contracts';
import type Provider from 'oidc-provider';
import type { SecurityEvents } from '../events/security-events';
import type { ClientTenants } from './client-tenants';

export interface ProviderEventDeps {
  clientTenants: Pick<ClientTenants, 'of'>;
  securityEvents: Pick<SecurityEvents, 'recordSoon'>;
}

/** What this server does on the provider's events: security events, and the operator's log. */
export function listenToProviderEvents(
  provider: Pick<Provider, 'on'>,
  { clientTenants, securityEvents }: ProviderEventDeps,
  log: Pick<Logger, 'warn' | 'error'> = new Logger('OidcProvider'),
): void {
  // An `authz.token.issued` event per successful token request (batched off the request path).
  provider.on('grant.success', (ctx) => {
    const clientId = ctx.oidc.client?.clientId;
    if (!clientId) return;
    const userId = ctx.oidc.account?.accountId ?? null;
    // The token response: the scope actually granted.
    const scope = (ctx.body as { scope?: unknown } | undefined)?.scope;
    const data = {
      clientId,
      grantType: String(ctx.oidc.params?.grant_type ?? 'unknown').slice(0, 100),
      userId,
      ...(typeof scope === 'string' ? { scope: scope.slice(0, 4000) } : {}),
    };
    void clientTenants.of(clientId).then((tenantId) =>
      securityEvents.recordSoon({
        type: SecurityEventTypes.tokenIssued,
        subject: userId ?? clientId,
        tenantId,
        data,
      }),
    );
  });
  // Failed back-channel logout deliveries are the app's outage, not ours: log them for the operator.
  provider.on('backchannel.error', (_ctx, error, client) =>
    log.warn(
      `back-channel logout to client ${client.clientId} failed: ${error.message} ${(error.cause as Error | undefined)?.message ?? ''}`,
    ),
  );
  provider.on('server_error', (_ctx, error) => log.error(`provider error: ${error.stack ?? error.message}`));
}
