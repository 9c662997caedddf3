import { registerCatalogue, translator } from '@platform/i18n';
import { ENGLISH, type PageI18n, registerTemplate } from './layout';

/** The strings of "Remember this device" on the second-factor page (a namespace of their own; en is the reference). */
export const REMEMBER_DEVICE_NAMESPACE = 'trustedDevices';

const en = {
  label_one: 'Remember this device for {{count}} day',
  label_other: 'Remember this device for {{count}} days',
  hint: 'You will not be asked for a code here until then. Do not tick this on a shared or public computer.',
};

const de: typeof en = {
  label_one: 'Dieses Gerät {{count}} Tag lang merken',
  label_other: 'Dieses Gerät {{count}} Tage lang merken',
  hint: 'Bis dahin wird hier kein Code abgefragt. Nicht ankreuzen an einem gemeinsam genutzten oder öffentlichen Computer.',
};

const fr: typeof en = {
  label_one: 'Se souvenir de cet appareil pendant {{count}} jour',
  label_other: 'Se souvenir de cet appareil pendant {{count}} jours',
  hint: 'Aucun code ne vous sera demandé ici d’ici là. Ne cochez pas cette case sur un ordinateur partagé ou public.',
};

export const REMEMBER_DEVICE_CATALOGUES = { en, de, fr } as const;
registerCatalogue(REMEMBER_DEVICE_NAMESPACE, REMEMBER_DEVICE_CATALOGUES);

/** The checkbox of the MFA page, when the tenant lets a remembered browser skip the second factor. */
export interface RememberDevicePrompt {
  label: string;
  hint: string;
}

export function rememberDevicePrompt(days: number, i18n: PageI18n = ENGLISH): RememberDevicePrompt {
  const t = translator(i18n.locale, REMEMBER_DEVICE_NAMESPACE);
  return { label: t('label', { count: days }), hint: t('hint') };
}

// Unticked by default: remembering is the person's choice. In the code form it posts with the code;
// the passkey form carries a hidden copy that the passkey script fills from it (passkey-script.ts),
// or, on a passkey-only page, holds the checkbox itself.
registerTemplate(
  '@remember-device',
  `<p class="checkbox"><input id="remember" name="remember" type="checkbox" value="1" aria-describedby="remember-hint"> <label for="remember"><%= it.label %></label></p>
<p class="muted" id="remember-hint"><%= it.hint %></p>`,
);
