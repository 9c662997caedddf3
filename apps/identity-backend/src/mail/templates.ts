import type { TenantSettings } from '../tenants/tenant-settings';

export interface Branding {
  tenantName: string;
  settings: TenantSettings;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A plain, accessible, tenant-branded message with one call to action. */
function render(branding: Branding, subject: string, intro: string, action: string, link: string, outro: string) {
  const colour = branding.settings.branding.primaryColor ?? '#1f4fd6';
  const logo = branding.settings.branding.logoUrl;
  const name = escapeHtml(branding.tenantName);
  const html = `<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif;color:#1a1a1a;max-width:560px;margin:auto">
${logo ? `<img src="${escapeHtml(logo)}" alt="${name}" height="40">` : `<h2>${name}</h2>`}
<p>${escapeHtml(intro)}</p>
<p><a href="${escapeHtml(link)}" style="background:${colour};color:#fff;padding:10px 18px;border-radius:4px;text-decoration:none">${escapeHtml(action)}</a></p>
<p style="font-size:13px;color:#555">${escapeHtml(outro)}<br>${escapeHtml(link)}</p>
</body></html>`;
  const text = `${branding.tenantName}\n\n${intro}\n\n${action}: ${link}\n\n${outro}\n`;
  return { subject: `${branding.tenantName}: ${subject}`, text, html };
}

export function verificationMail(branding: Branding, link: string, ttlMinutes: number) {
  return render(
    branding,
    'confirm your email address',
    'Please confirm that this is your email address.',
    'Confirm email address',
    link,
    `The link works once and expires in ${Math.round(ttlMinutes / 60) || 1} hour(s). If you did not sign up, ignore this message.`,
  );
}

export function passwordResetMail(branding: Branding, link: string, ttlMinutes: number) {
  return render(
    branding,
    'reset your password',
    'Someone asked to reset the password of your account.',
    'Choose a new password',
    link,
    `The link works once and expires in ${ttlMinutes} minutes. If it was not you, ignore this message: your password stays as it is.`,
  );
}
