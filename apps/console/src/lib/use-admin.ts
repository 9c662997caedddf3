import { type Loaded, useLoad, usePermissions, useSignedIn } from '@platform/web';
import type { DependencyList } from 'react';
import { useTenant } from './tenant';

/**
 * What a console screen acts with: the signed-in administrator's API clients and session, what
 * their permissions allow, and `query`, the `tenantId` query parameter of the tenant they act in.
 */
export function useAdmin() {
  const { identity, authz, session } = useSignedIn();
  const { has, isPlatformAdmin } = usePermissions();
  const { query } = useTenant();
  return { identity, authz, session, has, isPlatformAdmin, query };
}

/**
 * useLoad for what a screen shows of the tenant acted in: `load` gets the tenant's `query`, and
 * runs again when the tenant (or the session's API clients, or `deps`) change.
 */
export function useTenantLoad<T>(
  load: (query: { tenantId?: string }) => Promise<T>,
  deps: DependencyList = [],
): Loaded<T> {
  const { identity, authz } = useSignedIn();
  const { query } = useTenant();
  return useLoad(() => load(query), [identity, authz, query.tenantId, ...deps]);
}
