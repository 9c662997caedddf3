import { randomToken, sha256Hex } from '@platform/crypto';
import { AUTHZ_API_SCOPES, IDENTITY_API_SCOPES } from '@platform/contracts';
import { affectedRows } from '@platform/database';
import type { DataSource } from 'typeorm';
import { OAuthClient } from '../clients/oauth-client.entity';

/**
 * Which permissions each scope of the identity API covers (DESIGN §2): a user's token carries the
 * user's permissions that its granted scopes map to. `identity.internal` maps none: it belongs to
 * the authorization server's own service identity, never to a user.
 */
export const IDENTITY_API_SCOPE_PERMISSIONS: Record<string, string[]> = {
  'identity.tenants.read': ['tenants:read'],
  'identity.tenants.write': ['tenants:write'],
  'identity.users.read': ['users:read'],
  // Impersonation (issue 16) is its own permission, never implied by users:write; the write scope carries it for who holds it.
  'identity.users.write': ['users:write', 'users:impersonate'],
  'identity.roles.read': ['roles:read'],
  'identity.roles.write': ['roles:write'],
  'identity.idps.read': ['idps:read'],
  'identity.idps.write': ['idps:write'],
  'identity.audit.read': ['audit:read'],
  'platform.admin': ['platform:admin'],
};

/**
 * Permissions mapped to identity API scopes after the first release. Databases bootstrapped before
 * them get them at start-up (see widenScopePermissions): without, `users:impersonate` never reached
 * a token there, whoever held it.
 */
export const IDENTITY_API_PERMISSIONS_ADDED_LATER: Record<string, string[]> = {
  'identity.users.write': ['users:impersonate'],
};

/** The same for the management API: the permissions its controllers require of users. */
export const AUTHZ_API_SCOPE_PERMISSIONS: Record<string, string[]> = {
  'authz.keys.read': ['authz-keys:read'],
  'authz.keys.write': ['authz-keys:write'],
  'authz.clients.read': ['authz-clients:read'],
  'authz.clients.write': ['authz-clients:write'],
  'authz.apis.read': ['authz-apis:read'],
  'authz.apis.write': ['authz-apis:write'],
  'authz.apikeys.read': ['authz-apikeys:read'],
  'authz.apikeys.write': ['authz-apikeys:write'],
  // Sessions and grants are the users' own: administering them takes the user permissions.
  'authz.sessions.read': ['users:read'],
  'authz.sessions.write': ['users:write'],
  // A tenant's custom scopes and claims (global ones stay the platform administrator's).
  'authz.claims.read': ['authz-claims:read'],
  'authz.claims.write': ['authz-claims:write'],
  'platform.admin': ['platform:admin'],
};

/** What the consent pages say each platform scope allows. */
export const IDENTITY_API_SCOPE_DESCRIPTIONS: Record<string, string> = {
  'identity.tenants.read': 'See the settings of your organisation',
  'identity.tenants.write': 'Change the settings of your organisation',
  'identity.users.read': 'Read the users of your organisation',
  'identity.users.write': 'Create, change, lock and delete users of your organisation',
  'identity.roles.read': 'See the roles and who holds them',
  'identity.roles.write': 'Create and change roles, and give them to users',
  'identity.idps.read': 'See the external sign-in providers',
  'identity.idps.write': 'Add and change external sign-in providers',
  'identity.audit.read': 'Read the audit trail',
  'identity.internal': 'Internal access of the sign-in service',
  'platform.admin': 'Administer the whole platform, every organisation included',
};

export const AUTHZ_API_SCOPE_DESCRIPTIONS: Record<string, string> = {
  'authz.keys.read': 'See the signing keys',
  'authz.keys.write': 'Rotate the signing keys',
  'authz.clients.read': 'See the registered applications',
  'authz.clients.write': 'Register and change applications and their secrets',
  'authz.apis.read': 'See the registered APIs',
  'authz.apis.write': 'Register and change APIs and their scopes',
  'authz.apikeys.read': 'See the API keys',
  'authz.apikeys.write': 'Create and revoke API keys',
  'authz.sessions.read': "See users' sessions and the apps they gave access to",
  'authz.sessions.write': "End users' sessions and withdraw apps' access",
  'authz.claims.read': 'See the custom scopes and the claims they release',
  'authz.claims.write': 'Map custom scopes to claims about your users',
  'platform.admin': 'Administer the whole platform, every organisation included',
};

/**
 * Management scopes added after the first release. Databases bootstrapped before them get
 * them at start-up (see widenBootstrapScopes), so the admin API's resource server knows them
 * and `admin-cli` may ask for them.
 */
export const AUTHZ_API_SCOPES_ADDED_LATER = [
  'authz.apikeys.read',
  'authz.apikeys.write',
  'authz.sessions.read',
  'authz.sessions.write',
  // A platform operator's user token for the management API (platform:admin) needs a scope to map from.
  'platform.admin',
  'authz.claims.read',
  'authz.claims.write',
];

export const ADMIN_CLI_CLIENT_ID = 'admin-cli';

/**
 * First start: the `admin-cli` service client for operators, allowed every admin scope of
 * the identity API (not the internal one). Its secret is taken from configuration or
 * generated; a generated one is returned so it can be printed once — it is stored hashed.
 */
export async function ensureAdminCliClient(dataSource: DataSource, configuredSecret?: string): Promise<string | null> {
  if (await dataSource.manager.existsBy(OAuthClient, { clientId: ADMIN_CLI_CLIENT_ID })) return null;
  const secret = configuredSecret ?? randomToken(32);
  await dataSource.manager
    .createQueryBuilder()
    .insert()
    .into(OAuthClient)
    .values({
      clientId: ADMIN_CLI_CLIENT_ID,
      tenantId: null,
      name: 'Platform administration CLI',
      secretHash: sha256Hex(secret),
      metadata: {
        client_name: 'Platform administration CLI',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: [...IDENTITY_API_SCOPES.filter((s) => s !== 'identity.internal'), ...AUTHZ_API_SCOPES].join(' '),
      },
    })
    .orIgnore()
    .execute();
  return configuredSecret ? null : secret;
}

/**
 * Existing databases: adds the management scopes introduced since they were bootstrapped to the
 * admin API's resource server and to `admin-cli` (only those, and only when missing). Returns
 * what was added, for the log.
 */
export async function widenBootstrapScopes(dataSource: DataSource, authzApiAudience: string): Promise<string[]> {
  const added = AUTHZ_API_SCOPES_ADDED_LATER;
  const changed: string[] = [];
  const servers = await dataSource.query(
    `UPDATE resource_servers SET scopes = scopes || (SELECT coalesce(array_agg(s), '{}') FROM unnest($2::text[]) s WHERE s <> ALL(scopes))
      WHERE identifier = $1 AND NOT scopes @> $2::text[]`,
    [authzApiAudience, added],
  );
  if (affectedRows(servers) > 0) changed.push(`resource server ${authzApiAudience}`);
  const client = await dataSource.manager.findOneBy(OAuthClient, { clientId: ADMIN_CLI_CLIENT_ID });
  const scope = typeof client?.metadata.scope === 'string' ? client.metadata.scope.split(' ') : null;
  const missing = scope ? added.filter((s) => !scope.includes(s)) : [];
  if (client && scope && missing.length) {
    await dataSource.manager.update(
      OAuthClient,
      { clientId: ADMIN_CLI_CLIENT_ID },
      { metadata: { ...client.metadata, scope: [...scope, ...missing].join(' ') } },
    );
    changed.push(`client ${ADMIN_CLI_CLIENT_ID}`);
  }
  return changed.length ? [`${added.join(' ')} added to ${changed.join(' and ')}`] : [];
}

/**
 * Existing databases: adds permissions introduced since they were bootstrapped to the scopes of a
 * platform API that already map that scope (only the missing ones; an operator's own mapping of
 * other scopes is left as it is). Returns what was added, for the log.
 */
export async function widenScopePermissions(
  dataSource: DataSource,
  audience: string,
  added: Record<string, string[]>,
): Promise<string[]> {
  const changes: string[] = [];
  for (const [scope, permissions] of Object.entries(added)) {
    const result = await dataSource.query(
      `UPDATE resource_servers
          SET scope_permissions = jsonb_set(scope_permissions, ARRAY[$2::text],
                (scope_permissions->$2) || (SELECT coalesce(jsonb_agg(p), '[]'::jsonb)
                                              FROM unnest($3::text[]) p WHERE NOT (scope_permissions->$2) ? p))
        WHERE identifier = $1 AND jsonb_typeof(scope_permissions->$2) = 'array'
          AND NOT (scope_permissions->$2) ?& $3::text[]`,
      [audience, scope, permissions],
    );
    if (affectedRows(result) > 0) changes.push(`${permissions.join(' ')} added to scope ${scope} of ${audience}`);
  }
  return changes;
}
