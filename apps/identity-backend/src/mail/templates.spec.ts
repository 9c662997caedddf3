import { EventTypes, userEvent } from '../events/identity-events';
import { DEFAULT_TENANT_SETTINGS } from '../tenants/tenant-settings';
import { MAIL_CATALOGUES, MAIL_KINDS } from './mail-catalogue';
import { securityNotifications } from './security-notifications';
import { mailLocale, newDeviceValues, renderMail } from './templates';

const branding = {
  tenantName: 'Acme <Tools>',
  settings: { ...DEFAULT_TENANT_SETTINGS, branding: { logoUrl: null, primaryColor: '#112233' } },
};

describe('mail templates', () => {
  it('picks the user locale (language part), else the tenant default, else English', () => {
    expect(mailLocale('de-DE', { defaultLocale: 'fr' })).toBe('de');
    expect(mailLocale('pt-BR', { defaultLocale: 'fr' })).toBe('fr');
    expect(mailLocale(undefined, { defaultLocale: 'en' })).toBe('en');
  });

  it('has every mail in every language', () => {
    for (const catalogue of Object.values(MAIL_CATALOGUES)) {
      for (const kind of MAIL_KINDS) expect(Object.values(catalogue[kind]).every((v) => v.length > 0)).toBe(true);
    }
  });

  it('renders HTML and text in the language, branded, with values escaped in HTML', () => {
    const mail = renderMail('email_change_alert', branding, 'de', 'https://a.test/x?token=1&b=2', {
      newEmail: '<evil>@example.com',
    });
    expect(mail.subject).toBe('Acme <Tools>: Ihre E-Mail-Adresse wird geändert');
    expect(mail.html).toContain('lang="de"');
    expect(mail.html).toContain('#112233');
    expect(mail.html).toContain('&lt;evil&gt;@example.com');
    expect(mail.html).not.toContain('<evil>');
    expect(mail.html).toContain('https://a.test/x?token=1&amp;b=2');
    expect(mail.text).toContain('<evil>@example.com');
    expect(mail.text).toContain('https://a.test/x?token=1&b=2');
  });
});

describe('new-device mail values', () => {
  const signedInAt = '2026-12-01T17:05:00.000Z';

  it('name the browser and system, and the time in UTC, in the language', () => {
    expect(newDeviceValues({ browser: 'Firefox', system: 'Windows', signedInAt }, 'en')).toEqual({
      device: 'Firefox on Windows',
      time: expect.stringMatching(/December 1, 2026.*5:05\s?PM UTC$/),
    });
    expect(newDeviceValues({ browser: 'Firefox', system: 'Windows', signedInAt }, 'de').device).toBe(
      'Firefox unter Windows',
    );
    expect(newDeviceValues({ signedInAt }, 'fr').time).toMatch(/1 décembre 2026.*17:05 UTC$/);
  });

  it('say less when the User-Agent said less', () => {
    expect(newDeviceValues({ signedInAt }, 'en').device).toBe('a web browser');
    expect(newDeviceValues({ system: 'Linux', signedInAt }, 'en').device).toBe('a web browser on Linux');
  });
});

describe('security notifications', () => {
  const user = { id: '00000000-0000-4000-8000-000000000001', tenantId: '00000000-0000-4000-8000-000000000002' };
  const kinds = (...events: Parameters<typeof userEvent>[]) =>
    securityNotifications(events.map((e) => userEvent(...e))).map((m) => m.kind);

  it('follow the lifecycle events', () => {
    expect(kinds([EventTypes.userCreated, user, { origin: 'self-registration' }])).toEqual(['verify_email']);
    expect(kinds([EventTypes.userCreated, user, { origin: 'admin' }])).toEqual([]);
    expect(kinds([EventTypes.userEmailVerified, user, { method: 'email_link' }])).toEqual(['welcome']);
    expect(kinds([EventTypes.userPasswordChanged, user, { temporary: false }])).toEqual(['password_changed']);
    expect(kinds([EventTypes.userPasswordChanged, user, { temporary: true }])).toEqual([]);
    expect(kinds([EventTypes.userLocked, user, { until: '2026-12-01T00:00:00Z' }])).toEqual(['account_locked']);
    expect(kinds([EventTypes.userLocked, user, { reason: 'admin' }])).toEqual([]);
    expect(kinds([EventTypes.userMfaEnabled, user], [EventTypes.userMfaDisabled, user])).toEqual([
      'mfa_enabled',
      'mfa_disabled',
    ]);
  });
});
