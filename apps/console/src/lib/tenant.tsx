import { unwrap, useLoad, usePermissions, useSignedIn } from '@platform/web';
import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import type { Page, TenantView } from './types';

interface TenantContextValue {
  /** The tenant the screens act in. */
  tenantId: string | undefined;
  tenant: TenantView | undefined;
  /** Every tenant (platform administrators) or the user's own. */
  tenants: TenantView[];
  setTenantId: (id: string) => void;
  /** The `tenantId` query parameter: a platform administrator names the tenant, anyone else acts in their own. */
  query: { tenantId?: string };
  reloadTenants: () => void;
}

const TenantContext = createContext<TenantContextValue | undefined>(undefined);
const SELECTED = 'console.tenant';

export function TenantProvider({ children }: { children: ReactNode }) {
  const { identity, session } = useSignedIn();
  const { isPlatformAdmin } = usePermissions();
  const own = session.accessClaims(session.settings.identityApiAudience)?.tenantId ?? undefined;
  const [selected, setSelected] = useState<string | undefined>(() => sessionStorage.getItem(SELECTED) ?? own);
  const tenants = useLoad(
    async () =>
      unwrap<Page<TenantView>>(await identity.GET('/api/v1/tenants', { params: { query: { limit: 100 } } })).items,
    [identity],
  );
  const value = useMemo<TenantContextValue>(() => {
    const list = tenants.data ?? [];
    const tenantId = isPlatformAdmin ? selected : own;
    return {
      tenantId,
      tenant: list.find((t) => t.id === tenantId),
      tenants: list,
      setTenantId: (id: string) => {
        sessionStorage.setItem(SELECTED, id);
        setSelected(id);
      },
      query: isPlatformAdmin && tenantId ? { tenantId } : {},
      reloadTenants: tenants.reload,
    };
  }, [tenants.data, tenants.reload, isPlatformAdmin, selected, own]);
  return <TenantContext.Provider value={value}>{children}</TenantContext.Provider>;
}

export function useTenant(): TenantContextValue {
  const value = useContext(TenantContext);
  if (!value) throw new Error('useTenant outside TenantProvider');
  return value;
}
