import { HttpIdentityInternalClient } from '@platform/contracts';
import { mailsTo, waitForMail } from '@platform/testing';
import { useIdentityApi } from './identity-api.harness';

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';

/**
 * Issue 14's end-user gaps on the backend's side, through the authorization server's typed client:
 * the new-device mail (outbox → SMTP test server, localized, only for tenants that want it), linking
 * an upstream account to a signed-in user, and the tenant's whole password policy for the forms.
 */
describe('end-user gaps: new-device mail, account linking, password policy', () => {
  const api = useIdentityApi('identity_end_user_gaps');
  let client: HttpIdentityInternalClient;

  beforeAll(async () => {
    client = new HttpIdentityInternalClient({ baseUrl: api.baseUrl, token: async () => api.internalToken });
  });

  async function user(tenantId: string, email: string, profile?: Record<string, unknown>) {
    const admin = await api.tenantAdminToken(tenantId);
    const res = await api.call('POST', '/api/v1/users', admin, {
      email,
      password: 'a long enough passphrase 1',
      emailVerified: true,
      ...(profile && { profile }),
    });
    expect(res.status).toBe(201);
    return res.body as { id: string };
  }

  it('mails a sign-in from a new device in the user’s language, when the tenant has the alert on', async () => {
    const alerting = await api.createTenant('alerting', { newDeviceAlerts: true });
    const quiet = await api.createTenant('quiet-one');
    await expect(client.tenant('alerting')).resolves.toMatchObject({ newDeviceAlerts: true });
    await expect(client.tenant('quiet-one')).resolves.toMatchObject({ newDeviceAlerts: false });
    const ada = await user(alerting.id, 'ada@alerting.example');
    const greta = await user(alerting.id, 'greta@alerting.example', { locale: 'de' });
    const quietUser = await user(quiet.id, 'nobody@quiet.example');
    const signedInAt = '2026-12-01T17:05:00.000Z';

    await client.newDeviceSignIn({ tenantId: quiet.id, userId: quietUser.id, userAgent: FIREFOX, signedInAt });
    await client.newDeviceSignIn({ tenantId: alerting.id, userId: ada.id, userAgent: FIREFOX, signedInAt });
    const mail = await waitForMail('ada@alerting.example', /new sign-in/, 20_000);
    expect(mail.subject).toBe('ALERTING: new sign-in to your account');
    expect(mail.text).toContain('Firefox on Windows, December 1, 2026');
    expect(mail.text).toContain('https://login.example.test/account/sessions?tenant=alerting');
    expect(mail.text).not.toContain('Gecko');
    // Sent in order: the quiet tenant's user, asked about first, would have had theirs by now.
    expect(await mailsTo('nobody@quiet.example')).toEqual([]);

    await client.newDeviceSignIn({ tenantId: alerting.id, userId: greta.id, userAgent: FIREFOX, signedInAt });
    const german = await waitForMail('greta@alerting.example', /Neue Anmeldung/, 20_000);
    expect(german.subject).toBe('ALERTING: Neue Anmeldung bei Ihrem Konto');
    expect(german.text).toContain('Firefox unter Windows, 1. Dezember 2026');
  });

  it('links an upstream account to the signed-in user, names the provider, and refuses it for another user', async () => {
    const tenant = await api.createTenant('linking');
    const admin = await api.tenantAdminToken(tenant.id);
    const idp = (
      await api.call('POST', '/api/v1/idps', admin, {
        slug: 'partner-sso',
        displayName: 'Partner SSO',
        issuer: 'https://partner.example',
        clientId: 'rp',
        clientSecret: 's3',
      })
    ).body;
    const ada = await user(tenant.id, 'ada@linking.example');
    const bob = await user(tenant.id, 'bob@linking.example');
    const link = { tenantId: tenant.id, providerId: idp.id, subject: 'up-1', claims: { email: 'ada@partner.example' } };

    await client.linkExternalIdentity({ ...link, userId: ada.id });
    await client.linkExternalIdentity({ ...link, userId: ada.id }); // again: nothing changes
    const mine = await api.call('GET', '/api/v1/me/external-identities', await api.userToken(ada.id, tenant.id));
    expect(mine.body).toEqual([
      expect.objectContaining({
        providerId: idp.id,
        providerName: 'Partner SSO',
        providerSlug: 'partner-sso',
        subject: 'up-1',
        email: 'ada@partner.example',
      }),
    ]);
    await expect(client.linkExternalIdentity({ ...link, userId: bob.id })).rejects.toMatchObject({
      failure: 'external_identity_taken',
    });
  });

  it('states the whole password policy, and a refusal names each rule broken', async () => {
    const tenant = await api.createTenant('policy', { passwordPolicy: { minLength: 14, historySize: 3 } });
    const ada = await user(tenant.id, 'ada.policy@policy.example');
    const expected = {
      minLength: 14,
      maxLength: 256,
      historySize: 3,
      commonPasswordCheck: true,
      userIdentifierCheck: true,
    };
    const own = await api.userToken(ada.id, tenant.id);
    expect((await api.call('GET', '/api/v1/me/password-policy', own)).body).toEqual(expected);
    const selfService = await api.call('GET', '/internal/v1/self-service/tenants/policy', api.internalToken);
    expect(selfService.body.passwordPolicy).toEqual(expected);
    const weak = await api.call('POST', '/api/v1/me/password', own, {
      currentPassword: 'a long enough passphrase 1',
      newPassword: 'password',
    });
    expect(weak.status).toBe(422);
    expect(weak.body.error).toMatchObject({
      code: 'weak_password',
      details: { violations: ['too_short', 'common_password'] },
    });
  });
});
