import { SessionGate } from '@platform/web';
import { LanguagePicker } from './language-picker';
import { useT } from './i18n';
import { Shell } from './shell';

/** A link such as /account/?tenant=acme names the organisation; kept across the silent sign-in's round trip. */
const NAMED_TENANT = 'account.tenant';
const named = new URLSearchParams(location.search).get('tenant');
if (named) sessionStorage.setItem(NAMED_TENANT, named);

/** Signed out: the organisation to sign in to (remembered from the last sign-in, or the default). */
export function App() {
  const { t } = useT();
  return (
    <SessionGate
      texts={{
        loading: t('app.loading'),
        cannotStart: t('app.cannotStart'),
        title: t('signIn.title'),
        intro: t('signIn.intro'),
        signedOut: t('signIn.signOut'),
        cancelled: t('signIn.cancelled'),
        ended: t('signIn.ended'),
        tenant: t('signIn.organisation'),
        tenantHint: t('signIn.organisationHint'),
        submit: t('signIn.submit'),
      }}
      tenant={sessionStorage.getItem(NAMED_TENANT)}
      below={<LanguagePicker />}
    >
      <Shell />
    </SessionGate>
  );
}
