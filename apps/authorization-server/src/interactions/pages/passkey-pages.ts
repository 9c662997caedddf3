import { type IdentityInternalClient, IdentityInternalError } from '@platform/contracts';
import { registerCatalogue, translator } from '@platform/i18n';
import { ENGLISH, type PageI18n, registerTemplate } from './layout';

/** The passkey strings of the hosted pages (a namespace of their own; en is the reference). */
export const PASSKEY_NAMESPACE = 'passkeys';

const en = {
  signIn: 'Sign in with a passkey',
  useForMfa: 'Use your passkey',
  mfaIntro: 'Confirm with one of your passkeys.',
  failed: 'The passkey did not sign you in. Try again, or use your password.',
  needsJavaScript: 'Using a passkey needs JavaScript. Turn it on in your browser, then reload this page.',
  errors: {
    notAccepted: 'This passkey was not accepted. Try again, or sign in with your password.',
    cloned:
      'This passkey was refused: it may have been copied to another device. Sign in another way, and remove the passkey from your account if you do not recognise this.',
    disabled: 'Passkeys are not available for this organisation.',
  },
};

const de: typeof en = {
  signIn: 'Mit einem Passkey anmelden',
  useForMfa: 'Passkey verwenden',
  mfaIntro: 'Bestätigen Sie mit einem Ihrer Passkeys.',
  failed: 'Die Anmeldung mit dem Passkey hat nicht geklappt. Versuchen Sie es erneut oder verwenden Sie Ihr Passwort.',
  needsJavaScript: 'Für Passkeys wird JavaScript benötigt. Schalten Sie es im Browser ein und laden Sie die Seite neu.',
  errors: {
    notAccepted:
      'Dieser Passkey wurde nicht akzeptiert. Versuchen Sie es erneut oder melden Sie sich mit Ihrem Passwort an.',
    cloned:
      'Dieser Passkey wurde abgelehnt: Er wurde möglicherweise auf ein anderes Gerät kopiert. Melden Sie sich anders an und entfernen Sie den Passkey aus Ihrem Konto, wenn Ihnen das unbekannt vorkommt.',
    disabled: 'Passkeys sind für diese Organisation nicht verfügbar.',
  },
};

const fr: typeof en = {
  signIn: 'Se connecter avec une clé d’accès',
  useForMfa: 'Utiliser votre clé d’accès',
  mfaIntro: 'Confirmez avec l’une de vos clés d’accès.',
  failed: 'La clé d’accès ne vous a pas connecté. Réessayez ou utilisez votre mot de passe.',
  needsJavaScript:
    'Les clés d’accès ont besoin de JavaScript. Activez-le dans votre navigateur, puis rechargez cette page.',
  errors: {
    notAccepted: 'Cette clé d’accès n’a pas été acceptée. Réessayez ou connectez-vous avec votre mot de passe.',
    cloned:
      'Cette clé d’accès a été refusée : elle a peut-être été copiée sur un autre appareil. Connectez-vous autrement et retirez la clé de votre compte si cela ne vous dit rien.',
    disabled: 'Les clés d’accès ne sont pas disponibles pour cette organisation.',
  },
};

export const PASSKEY_CATALOGUES = { en, de, fr } as const;
registerCatalogue(PASSKEY_NAMESPACE, PASSKEY_CATALOGUES);

/** The passkey part of a login or MFA page: the request options and where the assertion goes. */
export interface PasskeyPrompt {
  /** PublicKeyCredentialRequestOptionsJSON from the identity backend, as JSON (printed escaped into data-options). */
  options: string;
  action: string;
  labels: { button: string; failed: string; intro: string; needsJavaScript: string };
}

/**
 * The passkey prompt of a page: discoverable options for the login page, the user's own passkeys
 * (`userId`) for the second factor. None when the tenant switched passkeys off or the backend
 * cannot answer: the page is then the password (or code) page it always was.
 */
export async function passkeyPrompt(
  identity: IdentityInternalClient,
  request: { tenant: string; userId?: string; action: string; i18n?: PageI18n },
): Promise<PasskeyPrompt | undefined> {
  const options = await identity
    .passkeyAuthenticationOptions({ tenant: request.tenant, ...(request.userId ? { userId: request.userId } : {}) })
    .catch((error: unknown) => {
      // Passkeys off in the tenant, an unknown tenant, the backend unavailable: no passkey on this page.
      if (error instanceof IdentityInternalError) return undefined;
      throw error;
    });
  if (!options) return undefined;
  const t = translator((request.i18n ?? ENGLISH).locale, PASSKEY_NAMESPACE);
  return {
    options: JSON.stringify(options),
    action: request.action,
    labels: {
      button: t(request.userId ? 'useForMfa' : 'signIn'),
      failed: t('failed'),
      intro: t('mfaIntro'),
      needsJavaScript: t('needsJavaScript'),
    },
  };
}

/** A refused passkey, in the page's language (the identity failure named by `failure`). */
export function passkeyErrorMessage(failure: string, i18n: PageI18n = ENGLISH): string {
  const t = translator(i18n.locale, PASSKEY_NAMESPACE);
  if (failure === 'passkey_counter_regression') return t('errors.cloned');
  if (failure === 'passkeys_disabled') return t('errors.disabled');
  return t('errors.notAccepted');
}

// The form the script (passkey-script.ts) fills and submits; its button is hidden until the script
// shows it, so without JavaScript (or WebAuthn) the page is the plain password page. The login
// page offers conditional UI too, except right after an error (it would offer the refused key again).
registerTemplate(
  '@passkey/form',
  `<form id="passkey-form" method="post" action="<%= it.passkey.action %>" data-options="<%= it.passkey.options %>" data-conditional="<%= it.conditional ? 'true' : 'false' %>">
<%~ include('@csrf', { token: it.csrf }) %>
<% if (it.method) { %><input type="hidden" name="method" value="<%= it.method %>"><% } %>
<input type="hidden" name="credential" value="">
<% if (it.remember && it.rememberHere) { %><%~ include('@remember-device', it.remember) %><% } else if (it.remember) { %><input type="hidden" name="remember" value=""><% } %>
<div class="alert" id="passkey-status" hidden><%= it.passkey.labels.failed %></div>
<button type="button" id="passkey-button"<% if (it.secondary) { %> class="secondary"<% } %> hidden><%= it.passkey.labels.button %></button>
</form>`,
);

registerTemplate(
  '@passkey/login',
  `<% if (it.passkey) { %><%~ include('@passkey/form', { passkey: it.passkey, csrf: it.csrf, conditional: !it.error, secondary: true }) %><% } %>`,
);

registerTemplate(
  '@passkey/mfa',
  `<% if (it.passkey) { %><% if (it.codes) { %><p class="divider"><%= it.t('login.or') %></p><% } else { %><p><%= it.passkey.labels.intro %></p>
<noscript><p class="alert"><%= it.passkey.labels.needsJavaScript %></p></noscript><% } %>
<%~ include('@passkey/form', { passkey: it.passkey, csrf: it.csrf, method: 'passkey', conditional: false, secondary: it.codes, remember: it.remember, rememberHere: !it.codes }) %><% } %>`,
);
