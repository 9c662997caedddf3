import { type Locale, registerCatalogue, translator, type Translate } from '@platform/i18n';

/** Every email the identity backend sends (seed 004's security notifications and the account flows). */
export const MAIL_KINDS = [
  'verify_email',
  'welcome',
  'password_reset',
  'password_changed',
  'account_locked',
  'mfa_enabled',
  'mfa_disabled',
  'email_change_alert',
  'email_change_confirm',
  'new_device_sign_in',
  'impersonation_started',
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/** What one mail says: subject line, opening paragraph, the button and the small print. */
interface MailText {
  subject: string;
  intro: string;
  action: string;
  outro: string;
}
/** How a new sign-in mail names the device: "Firefox on Windows", or less when the User-Agent says less. */
interface DeviceText {
  on: string;
  someBrowser: string;
}
type Catalogue = Record<MailKind, MailText> & { linkHint: string; footer: string; device: DeviceText };

const en: Catalogue = {
  verify_email: {
    subject: 'confirm your email address',
    intro: 'Please confirm that this is your email address.',
    action: 'Confirm email address',
    outro: 'The link works once and expires in {{hours}} hour(s). If you did not sign up, ignore this message.',
  },
  welcome: {
    subject: 'welcome',
    intro: 'Welcome! Your email address is confirmed and your account is ready.',
    action: 'Open your account',
    outro: 'You receive this message because an account was created with this address.',
  },
  password_reset: {
    subject: 'reset your password',
    intro: 'Someone asked to reset the password of your account.',
    action: 'Choose a new password',
    outro:
      'The link works once and expires in {{minutes}} minutes. If it was not you, ignore this message: your password stays as it is. A reset signs out every device.',
  },
  password_changed: {
    subject: 'your password was changed',
    intro: 'The password of your account was just changed, and every device was signed out.',
    action: 'Not you? Choose a new password',
    outro: 'If you changed it yourself, there is nothing to do.',
  },
  account_locked: {
    subject: 'your account is locked',
    intro: 'Your account was locked for a while after too many failed sign-in attempts.',
    action: 'Choose a new password and unlock',
    outro:
      'The link works once, unlocks the account and expires in {{minutes}} minutes. If it was you, you can also wait and sign in later. If it was not you, choose a new password.',
  },
  mfa_enabled: {
    subject: 'two-factor authentication was enabled',
    intro: 'Two-factor authentication is now on: signing in asks for a code from your authenticator app.',
    action: 'Open your account',
    outro: 'If this was not you, choose a new password at once and tell your administrator.',
  },
  mfa_disabled: {
    subject: 'two-factor authentication was disabled',
    intro: 'Two-factor authentication was turned off: signing in now asks for your password only.',
    action: 'Open your account',
    outro: 'If this was not you, choose a new password at once and tell your administrator.',
  },
  email_change_alert: {
    subject: 'your email address is being changed',
    intro:
      'Someone asked to change the email address of your account to {{newEmail}}. It changes only once the new address is confirmed.',
    action: 'Not you? Choose a new password',
    outro: 'If you asked for this yourself, there is nothing to do.',
  },
  email_change_confirm: {
    subject: 'confirm your new email address',
    intro: 'Please confirm that this is the new email address of your account.',
    action: 'Confirm new address',
    outro: 'The link works once and expires in {{hours}} hour(s). Until then, your account keeps its old address.',
  },
  new_device_sign_in: {
    subject: 'new sign-in to your account',
    intro:
      'Your account was just signed in to from a browser or device it was not used with before: {{device}}, {{time}}.',
    action: 'Review your sessions',
    outro: 'If this was you, there is nothing to do. If not, sign that session out and choose a new password at once.',
  },
  impersonation_started: {
    subject: 'an administrator is signed in as you',
    intro:
      '{{actor}}, an administrator of your organisation, started a session as you until {{time}}. The reason given: “{{reason}}”. They cannot change your password, two-factor authentication or passkeys, nor delete your account.',
    action: 'Review your account',
    outro: 'If you did not expect this, tell your organisation’s security contact.',
  },
  device: { on: '{{browser}} on {{system}}', someBrowser: 'a web browser' },
  linkHint: 'If the button does not work, open this link:',
  footer: 'A security notice from {{tenant}}.',
};

const de: Catalogue = {
  verify_email: {
    subject: 'Bestätigen Sie Ihre E-Mail-Adresse',
    intro: 'Bitte bestätigen Sie, dass dies Ihre E-Mail-Adresse ist.',
    action: 'E-Mail-Adresse bestätigen',
    outro:
      'Der Link funktioniert einmal und läuft in {{hours}} Stunde(n) ab. Wenn Sie sich nicht registriert haben, ignorieren Sie diese Nachricht.',
  },
  welcome: {
    subject: 'Willkommen',
    intro: 'Willkommen! Ihre E-Mail-Adresse ist bestätigt und Ihr Konto ist bereit.',
    action: 'Konto öffnen',
    outro: 'Sie erhalten diese Nachricht, weil mit dieser Adresse ein Konto angelegt wurde.',
  },
  password_reset: {
    subject: 'Passwort zurücksetzen',
    intro: 'Jemand hat darum gebeten, das Passwort Ihres Kontos zurückzusetzen.',
    action: 'Neues Passwort wählen',
    outro:
      'Der Link funktioniert einmal und läuft in {{minutes}} Minuten ab. Waren Sie es nicht, ignorieren Sie diese Nachricht: Ihr Passwort bleibt, wie es ist. Das Zurücksetzen meldet alle Geräte ab.',
  },
  password_changed: {
    subject: 'Ihr Passwort wurde geändert',
    intro: 'Das Passwort Ihres Kontos wurde soeben geändert, und alle Geräte wurden abgemeldet.',
    action: 'Nicht Sie? Neues Passwort wählen',
    outro: 'Wenn Sie es selbst geändert haben, ist nichts zu tun.',
  },
  account_locked: {
    subject: 'Ihr Konto ist gesperrt',
    intro: 'Ihr Konto wurde nach zu vielen fehlgeschlagenen Anmeldeversuchen vorübergehend gesperrt.',
    action: 'Neues Passwort wählen und entsperren',
    outro:
      'Der Link funktioniert einmal, entsperrt das Konto und läuft in {{minutes}} Minuten ab. Waren Sie es, können Sie auch warten und sich später anmelden. Sonst wählen Sie ein neues Passwort.',
  },
  mfa_enabled: {
    subject: 'Zwei-Faktor-Authentifizierung wurde aktiviert',
    intro: 'Die Zwei-Faktor-Authentifizierung ist jetzt aktiv: Die Anmeldung fragt nach einem Code aus Ihrer App.',
    action: 'Konto öffnen',
    outro: 'Waren Sie es nicht, wählen Sie sofort ein neues Passwort und informieren Sie Ihre Administration.',
  },
  mfa_disabled: {
    subject: 'Zwei-Faktor-Authentifizierung wurde deaktiviert',
    intro: 'Die Zwei-Faktor-Authentifizierung wurde ausgeschaltet: Die Anmeldung fragt nur noch nach dem Passwort.',
    action: 'Konto öffnen',
    outro: 'Waren Sie es nicht, wählen Sie sofort ein neues Passwort und informieren Sie Ihre Administration.',
  },
  email_change_alert: {
    subject: 'Ihre E-Mail-Adresse wird geändert',
    intro:
      'Jemand möchte die E-Mail-Adresse Ihres Kontos in {{newEmail}} ändern. Sie ändert sich erst, wenn die neue Adresse bestätigt ist.',
    action: 'Nicht Sie? Neues Passwort wählen',
    outro: 'Wenn Sie das selbst veranlasst haben, ist nichts zu tun.',
  },
  email_change_confirm: {
    subject: 'Bestätigen Sie Ihre neue E-Mail-Adresse',
    intro: 'Bitte bestätigen Sie, dass dies die neue E-Mail-Adresse Ihres Kontos ist.',
    action: 'Neue Adresse bestätigen',
    outro:
      'Der Link funktioniert einmal und läuft in {{hours}} Stunde(n) ab. Bis dahin behält Ihr Konto die alte Adresse.',
  },
  new_device_sign_in: {
    subject: 'Neue Anmeldung bei Ihrem Konto',
    intro:
      'Bei Ihrem Konto hat sich soeben jemand mit einem Browser oder Gerät angemeldet, das bisher nicht verwendet wurde: {{device}}, {{time}}.',
    action: 'Sitzungen ansehen',
    outro:
      'Waren Sie es, ist nichts zu tun. Sonst melden Sie diese Sitzung ab und wählen Sie sofort ein neues Passwort.',
  },
  impersonation_started: {
    subject: 'Ein Administrator ist als Sie angemeldet',
    intro:
      '{{actor}}, Administrator Ihrer Organisation, hat bis {{time}} eine Sitzung als Sie begonnen. Angegebener Grund: „{{reason}}“. Passwort, Zwei-Faktor-Authentifizierung und Passkeys kann er nicht ändern und Ihr Konto nicht löschen.',
    action: 'Konto ansehen',
    outro: 'Haben Sie das nicht erwartet, wenden Sie sich an die Sicherheitsverantwortlichen Ihrer Organisation.',
  },
  device: { on: '{{browser}} unter {{system}}', someBrowser: 'ein Webbrowser' },
  linkHint: 'Falls die Schaltfläche nicht funktioniert, öffnen Sie diesen Link:',
  footer: 'Ein Sicherheitshinweis von {{tenant}}.',
};

const fr: Catalogue = {
  verify_email: {
    subject: 'confirmez votre adresse e-mail',
    intro: 'Veuillez confirmer que cette adresse e-mail est bien la vôtre.',
    action: 'Confirmer l’adresse e-mail',
    outro:
      'Le lien fonctionne une fois et expire dans {{hours}} heure(s). Si vous ne vous êtes pas inscrit, ignorez ce message.',
  },
  welcome: {
    subject: 'bienvenue',
    intro: 'Bienvenue ! Votre adresse e-mail est confirmée et votre compte est prêt.',
    action: 'Ouvrir votre compte',
    outro: 'Vous recevez ce message parce qu’un compte a été créé avec cette adresse.',
  },
  password_reset: {
    subject: 'réinitialisez votre mot de passe',
    intro: 'Quelqu’un a demandé à réinitialiser le mot de passe de votre compte.',
    action: 'Choisir un nouveau mot de passe',
    outro:
      'Le lien fonctionne une fois et expire dans {{minutes}} minutes. Si ce n’était pas vous, ignorez ce message : votre mot de passe reste inchangé. La réinitialisation déconnecte tous les appareils.',
  },
  password_changed: {
    subject: 'votre mot de passe a été modifié',
    intro: 'Le mot de passe de votre compte vient d’être modifié et tous les appareils ont été déconnectés.',
    action: 'Pas vous ? Choisir un nouveau mot de passe',
    outro: 'Si vous l’avez modifié vous-même, il n’y a rien à faire.',
  },
  account_locked: {
    subject: 'votre compte est verrouillé',
    intro: 'Votre compte a été verrouillé temporairement après trop de tentatives de connexion échouées.',
    action: 'Choisir un nouveau mot de passe et déverrouiller',
    outro:
      'Le lien fonctionne une fois, déverrouille le compte et expire dans {{minutes}} minutes. Si c’était vous, vous pouvez aussi attendre et vous reconnecter plus tard. Sinon, choisissez un nouveau mot de passe.',
  },
  mfa_enabled: {
    subject: 'la double authentification a été activée',
    intro: 'La double authentification est activée : la connexion demande un code de votre application.',
    action: 'Ouvrir votre compte',
    outro: 'Si ce n’était pas vous, choisissez immédiatement un nouveau mot de passe et prévenez votre administrateur.',
  },
  mfa_disabled: {
    subject: 'la double authentification a été désactivée',
    intro: 'La double authentification a été désactivée : la connexion ne demande plus que le mot de passe.',
    action: 'Ouvrir votre compte',
    outro: 'Si ce n’était pas vous, choisissez immédiatement un nouveau mot de passe et prévenez votre administrateur.',
  },
  email_change_alert: {
    subject: 'votre adresse e-mail va changer',
    intro:
      'Quelqu’un a demandé à remplacer l’adresse e-mail de votre compte par {{newEmail}}. Elle ne change qu’une fois la nouvelle adresse confirmée.',
    action: 'Pas vous ? Choisir un nouveau mot de passe',
    outro: 'Si vous l’avez demandé vous-même, il n’y a rien à faire.',
  },
  email_change_confirm: {
    subject: 'confirmez votre nouvelle adresse e-mail',
    intro: 'Veuillez confirmer que ceci est la nouvelle adresse e-mail de votre compte.',
    action: 'Confirmer la nouvelle adresse',
    outro:
      'Le lien fonctionne une fois et expire dans {{hours}} heure(s). D’ici là, votre compte garde son ancienne adresse.',
  },
  new_device_sign_in: {
    subject: 'nouvelle connexion à votre compte',
    intro:
      'Votre compte vient d’être utilisé depuis un navigateur ou un appareil inconnu jusqu’ici : {{device}}, {{time}}.',
    action: 'Voir vos sessions',
    outro:
      'Si c’était vous, il n’y a rien à faire. Sinon, déconnectez cette session et choisissez immédiatement un nouveau mot de passe.',
  },
  impersonation_started: {
    subject: 'un administrateur est connecté en votre nom',
    intro:
      '{{actor}}, administrateur de votre organisation, a ouvert une session en votre nom jusqu’à {{time}}. Motif indiqué : « {{reason}} ». Il ne peut ni changer votre mot de passe, votre double authentification ou vos clés d’accès, ni supprimer votre compte.',
    action: 'Voir votre compte',
    outro: 'Si vous ne vous y attendiez pas, prévenez le responsable sécurité de votre organisation.',
  },
  device: { on: '{{browser}} sous {{system}}', someBrowser: 'un navigateur web' },
  linkHint: 'Si le bouton ne fonctionne pas, ouvrez ce lien :',
  footer: 'Un avis de sécurité de {{tenant}}.',
};

export const MAIL_CATALOGUES: Record<Locale, Catalogue> = { en, de, fr };

const MAIL_NAMESPACE = 'mail';
registerCatalogue(MAIL_NAMESPACE, MAIL_CATALOGUES);

/** The mail strings of one language (@platform/i18n; missing keys fall back to English). */
export const mailTranslator = (locale: Locale): Translate => translator(locale, MAIL_NAMESPACE);
