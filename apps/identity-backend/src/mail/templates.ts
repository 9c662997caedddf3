import { isLocale, type Locale } from '@platform/i18n';
import type { TenantSettings } from '../tenants/tenant-settings';
import { type MailKind, mailTranslator } from './mail-catalogue';

export interface Branding {
  tenantName: string;
  settings: TenantSettings;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The recipient's language: their `locale` claim (de-DE → de), else the tenant's default, else English. */
export function mailLocale(userLocale: unknown, settings: Pick<TenantSettings, 'defaultLocale'>): Locale {
  const language = typeof userLocale === 'string' ? userLocale.split(/[-_]/)[0]!.toLowerCase() : '';
  if (isLocale(language)) return language;
  return isLocale(settings.defaultLocale) ? settings.defaultLocale : 'en';
}

/**
 * The placeholders of a new-device mail in the recipient's language: the device ("Chrome on
 * Linux", from the browser and system the sign-in reported) and when (UTC: the server does not
 * know the person's time zone, and says so).
 */
export function newDeviceValues(params: Record<string, string>, locale: Locale): { device: string; time: string } {
  const t = mailTranslator(locale);
  const browser = params.browser ?? t('device.someBrowser');
  const device = params.system ? t('device.on', { browser, system: params.system }) : browser;
  const at = new Date(params.signedInAt ?? Date.now());
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
  return { device, time: `${format.format(at)} UTC` };
}

/**
 * A plain, accessible, tenant-branded message (HTML and text parts) with one call to action,
 * in the recipient's language. `values` fill the catalogue's placeholders.
 */
export function renderMail(
  kind: MailKind,
  branding: Branding,
  locale: Locale,
  link: string,
  values: Record<string, string | number> = {},
): RenderedMail {
  const t = mailTranslator(locale);
  const say = (key: string) => t(`${kind}.${key}`, values);
  const [intro, action, outro] = [say('intro'), say('action'), say('outro')];
  const footer = t('footer', { tenant: branding.tenantName });
  const colour = branding.settings.branding.primaryColor ?? '#1f4fd6';
  const logo = branding.settings.branding.logoUrl;
  const name = escapeHtml(branding.tenantName);
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(say('subject'))}</title></head>
<body style="font-family:system-ui,sans-serif;color:#1a1a1a;max-width:560px;margin:auto;padding:16px">
${logo ? `<img src="${escapeHtml(logo)}" alt="${name}" height="40">` : `<h2 style="color:${colour}">${name}</h2>`}
<p>${escapeHtml(intro)}</p>
<p><a href="${escapeHtml(link)}" style="display:inline-block;background:${colour};color:#fff;padding:10px 18px;border-radius:4px;text-decoration:none">${escapeHtml(action)}</a></p>
<p style="font-size:13px;color:#444">${escapeHtml(outro)}</p>
<p style="font-size:13px;color:#444">${escapeHtml(t('linkHint'))}<br><a href="${escapeHtml(link)}" style="color:#1a1a1a">${escapeHtml(link)}</a></p>
<hr style="border:0;border-top:1px solid #ddd"><p style="font-size:12px;color:#555">${escapeHtml(footer)}</p>
</body></html>`;
  const text = `${branding.tenantName}\n\n${intro}\n\n${action}: ${link}\n\n${outro}\n\n-- \n${footer}\n`;
  return { subject: `${branding.tenantName}: ${say('subject')}`, text, html };
}
