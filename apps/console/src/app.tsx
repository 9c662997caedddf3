import { SessionGate, type SessionGateTexts } from '@platform/web';
import { Shell } from './shell';

const TEXTS: SessionGateTexts = {
  loading: 'Loading',
  cannotStart: 'The console cannot start',
  title: 'Admin console',
  signedOut: 'Signed out',
  cancelled: 'Sign-in was cancelled.',
  ended: 'Your session has ended. Sign in again.',
  tenant: 'Tenant',
  tenantHint: "The organisation you administer (operators: the operators' tenant)",
  submit: 'Sign in',
};

/** Signed out: the tenant to sign in to (operators sign in to the operators' tenant). */
export function App() {
  return (
    <SessionGate texts={TEXTS}>
      <Shell />
    </SessionGate>
  );
}
