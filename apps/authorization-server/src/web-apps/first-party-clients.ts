import { AUTHZ_API_SCOPES, IDENTITY_API_SCOPES } from '@platform/contracts';
import type { DataSource } from 'typeorm';
import { OAuthClient } from '../clients/oauth-client.entity';

export const ACCOUNT_CONSOLE_CLIENT_ID = 'account-console';
export const ADMIN_CONSOLE_CLIENT_ID = 'admin-console';

/** Where a single-page app of the platform is served (see web-apps.middleware.ts) and signs in. */
export interface FirstPartyApp {
  clientId: string;
  name: string;
  /** Path prefix on the issuer's origin, e.g. `/account`. */
  basePath: string;
  scope: string;
}

const SIGN_IN = ['openid', 'profile', 'email', 'offline_access'];

export const FIRST_PARTY_APPS: readonly FirstPartyApp[] = [
  // The self-service routes (/api/v1/me/...) of both APIs need no scope beyond a user's token.
  { clientId: ACCOUNT_CONSOLE_CLIENT_ID, name: 'Account console', basePath: '/account', scope: SIGN_IN.join(' ') },
  {
    // A user's token carries only the permissions they hold that these scopes map to (DESIGN §2).
    clientId: ADMIN_CONSOLE_CLIENT_ID,
    name: 'Admin console',
    basePath: '/console',
    scope: [
      ...new Set([...SIGN_IN, ...IDENTITY_API_SCOPES.filter((s) => s !== 'identity.internal'), ...AUTHZ_API_SCOPES]),
    ].join(' '),
  },
];

/** The redirect, logout and CORS settings of a first-party app on this issuer. */
export function firstPartyUrls(issuer: string, app: FirstPartyApp) {
  const origin = new URL(issuer).origin;
  return {
    redirect_uris: [`${origin}${app.basePath}/callback`],
    post_logout_redirect_uris: [`${origin}${app.basePath}/`],
    // The identity backend allows CORS from registered web origins: the SPA calls its /api/v1.
    web_origins: [origin],
  };
}

/**
 * Every start: the account and admin consoles as platform-wide public clients (code + PKCE S256,
 * which the provider requires of every public client), trusted (first-party: no consent page).
 * Their URLs follow the issuer, so a changed ISSUER keeps the consoles working; the rest of the
 * metadata is created once and left to operators.
 */
export async function ensureFirstPartyApps(dataSource: DataSource, issuer: string): Promise<string[]> {
  const created: string[] = [];
  for (const app of FIRST_PARTY_APPS) {
    const urls = firstPartyUrls(issuer, app);
    const existing = await dataSource.manager.findOneBy(OAuthClient, { clientId: app.clientId });
    if (existing) {
      const current = Object.entries(urls).every(
        ([key, value]) => JSON.stringify(existing.metadata[key]) === JSON.stringify(value),
      );
      if (!current) {
        await dataSource.manager.update(
          OAuthClient,
          { clientId: app.clientId },
          { metadata: { ...existing.metadata, ...urls } },
        );
      }
      continue;
    }
    await dataSource.manager
      .createQueryBuilder()
      .insert()
      .into(OAuthClient)
      .values({
        clientId: app.clientId,
        tenantId: null,
        name: app.name,
        secretHash: null,
        metadata: {
          client_name: app.name,
          application_type: 'web',
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          ...urls,
          token_endpoint_auth_method: 'none',
          scope: app.scope,
          trusted: true,
        },
      })
      .orIgnore()
      .execute();
    created.push(app.clientId);
  }
  return created;
}
