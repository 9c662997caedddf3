import { createContext, Fragment, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { type AuthzApi, createApis, type IdentityApi } from './api';
import { OidcSession, SignInRequired } from './oidc';
import { loadSettings } from './settings';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; session: OidcSession; reason: string }
  | { status: 'error'; message: string }
  | { status: 'signed-in'; session: OidcSession; identity: IdentityApi; authz: AuthzApi; returnTo: string };

const SessionContext = createContext<SessionState>({ status: 'loading' });

/** Where an app came back to after sign-in, relative to its base path. */
const replaceLocation = (path: string) =>
  history.replaceState(null, '', `${import.meta.env.BASE_URL.replace(/\/$/, '')}${path}`);

/**
 * Boots an app's sign-in: loads <base>/config.json, completes a redirect back from the hosted login,
 * or tries a silent sign-in (prompt=none) so a reload keeps the user signed in without tokens in
 * storage. Children see the state through useSession().
 */
export function SessionProvider({ apiScopes, children }: { apiScopes: readonly string[]; children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  useEffect(() => {
    let cancelled = false;
    const boot = async () => {
      const session = new OidcSession(await loadSettings(), apiScopes);
      if (!session.isCallback()) return session.signInSilently();
      try {
        const returnTo = await session.completeSignIn();
        replaceLocation(returnTo);
        const apis = createApis(session);
        // The management API's token too, so the screens know what the user may do there.
        await session.accessToken(session.settings.authzApiAudience).catch(() => undefined);
        if (!cancelled) setState({ status: 'signed-in', session, ...apis, returnTo });
      } catch (error) {
        if (!(error instanceof SignInRequired)) throw error;
        replaceLocation('/');
        if (!cancelled) setState({ status: 'signed-out', session, reason: error.reason });
      }
    };
    boot().catch((error: unknown) => {
      if (!cancelled) setState({ status: 'error', message: error instanceof Error ? error.message : String(error) });
    });
    return () => {
      cancelled = true;
    };
  }, [apiScopes]);
  // Keyed by status: a router below mounts again after sign-in and reads the location the callback
  // was replaced with (history.replaceState does not tell a router that is already mounted).
  return (
    <SessionContext.Provider value={state}>
      <Fragment key={state.status}>{children}</Fragment>
    </SessionContext.Provider>
  );
}

export const useSession = (): SessionState => useContext(SessionContext);

/** The signed-in session (for components rendered only when signed in). */
export function useSignedIn(): Extract<SessionState, { status: 'signed-in' }> {
  const state = useSession();
  if (state.status !== 'signed-in') throw new Error('useSignedIn outside a signed-in tree');
  return state;
}

/** What the user's tokens allow, for showing only the actions they can take. */
export function usePermissions(): { has: (permission: string) => boolean; isPlatformAdmin: boolean } {
  const { session } = useSignedIn();
  return useMemo(() => {
    const identity = session.accessClaims(session.settings.identityApiAudience);
    const authz = session.accessClaims(session.settings.authzApiAudience);
    const all = new Set([...(identity?.permissions ?? []), ...(authz?.permissions ?? [])]);
    const isPlatformAdmin = all.has('platform:admin');
    return { has: (permission: string) => isPlatformAdmin || all.has(permission), isPlatformAdmin };
  }, [session]);
}
