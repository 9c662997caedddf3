import { alertOf, interactionPage, PASSWORD, request, response, stepsUnderTest, TENANT_ID } from './steps.spec-helper';

const pending = { userId: 'u-mfa', tenantId: TENANT_ID, methods: ['totp', 'recovery_code'] };

describe('MfaStep', () => {
  it('completes the sign-in with the right code (pwd + otp)', async () => {
    const steps = stepsUnderTest();
    expect(await steps.mfa.submit(request(), response(), interactionPage(), pending, '123 456')).toBeNull();
    expect(steps.finished).toEqual([{ login: expect.objectContaining({ accountId: 'u-mfa', amr: ['pwd', 'otp'] }) }]);
  });

  it('refuses a wrong code (401, counted) and an empty one (400)', async () => {
    const steps = stepsUnderTest();
    const wrong = await steps.mfa.submit(request(), response(), interactionPage(), pending, '000000');
    expect([wrong?.status, alertOf(wrong)]).toEqual([401, 'That code is not valid. Try again.']);
    expect(steps.events.map((e) => e.data.reason)).toEqual(['invalid_mfa_code']);
    expect((await steps.mfa.submit(request(), response(), interactionPage(), pending, ' '))?.status).toBe(400);
  });

  it('accepts only a method the sign-in was offered: no code where the passkey is the only second step', async () => {
    const steps = stepsUnderTest();
    const passkeyOnly = { ...pending, methods: ['passkey'] };
    const code = await steps.mfa.submit(request(), response(), interactionPage(), passkeyOnly, '123456');
    expect([code?.status, alertOf(code)]).toEqual([401, 'That code is not valid. Try again.']);
    const recovery = await steps.recovery.submit(request(), response(), interactionPage(), passkeyOnly, '123456');
    expect(recovery?.status).toBe(401);
    expect(steps.events.map((e) => e.data.reason)).toEqual(['invalid_mfa_code', 'invalid_mfa_code']);
    expect(steps.finished).toEqual([]);
  });

  it('links to the recovery code with an absolute URL (the page also answers POST …/login)', async () => {
    const shown = await stepsUnderTest().mfa.show(interactionPage());
    expect(shown.body).toContain('href="/interaction/uid-1?recovery=1"');
    expect(shown.body).toContain('inputmode="numeric"');
  });
});

describe('MfaStep: remember this device (trusted devices)', () => {
  const MFA_USER = { login: 'mfa@acme.example', password: PASSWORD };
  const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
  /** The name=value part of the device cookie a response set. */
  const deviceCookie = (res: { cookies: string[] }) => res.cookies.find((c) => c.startsWith('device='))!.split(';')[0]!;

  /** The password step, then (when asked) the code with "remember" ticked; the browser's device cookie comes back. */
  async function signInRemembering(steps: ReturnType<typeof stepsUnderTest>, allowMfaBypass: boolean, cookie = '') {
    const page = interactionPage({ allowMfaBypass });
    const headers = { 'user-agent': FIREFOX, ...(cookie ? { cookie } : {}) };
    const atMfa = await steps.login.submit(request(headers), response(), page, MFA_USER, '127.0.0.1');
    const res = response();
    const pending = { userId: 'u-mfa', tenantId: TENANT_ID, methods: ['totp', 'recovery_code'] };
    await steps.mfa.submit(request(headers), res, page, pending, '123456', true);
    return { atMfa, cookie: deviceCookie(res) };
  }

  /** A later sign-in on that browser: the MFA page (a rendered page), or null when it completed at once. */
  const signInAgain = (steps: ReturnType<typeof stepsUnderTest>, cookie: string, options = {}) =>
    steps.login.submit(
      request({ 'user-agent': FIREFOX, cookie }),
      response(),
      interactionPage({ allowMfaBypass: true, ...options }),
      MFA_USER,
      '127.0.0.1',
    );

  it('offers the checkbox only when the tenant allows the bypass', async () => {
    const steps = stepsUnderTest({ allowMfaBypass: true });
    const offered = await steps.mfa.show(interactionPage({ allowMfaBypass: true }));
    expect(offered.body).toContain('<input id="remember" name="remember" type="checkbox" value="1"');
    expect(offered.body).toContain('Remember this device for 30 days');
    expect((await steps.mfa.show(interactionPage({ allowMfaBypass: false }))).body).not.toContain('remember');
    const german = await steps.mfa.show(interactionPage({ allowMfaBypass: true, locale: 'de' }));
    expect(german.body).toContain('Dieses Gerät 30 Tage lang merken');
  });

  it('trusts the browser after the code, then skips the step for the same user there: amr pwd only, audited', async () => {
    const steps = stepsUnderTest({ allowMfaBypass: true });
    const { atMfa, cookie } = await signInRemembering(steps, true);
    expect(atMfa?.body).toContain('name="code"');
    expect(steps.trusted.repository.rows).toEqual([
      expect.objectContaining({ userId: 'u-mfa', trustLevel: 'remembered', userAgentFamily: 'Firefox on Linux' }),
    ]);
    expect(steps.trusted.events.map((e) => e.type)).toEqual(['authz.device.trusted.v1']);

    expect(await signInAgain(steps, cookie)).toBeNull();
    expect(steps.finished.at(-1)).toEqual({
      login: { accountId: 'u-mfa', amr: ['pwd'], acr: 'urn:identity-platform:acr:pwd' },
    });
    expect(steps.events.at(-1)?.data).toMatchObject({ amr: ['pwd'], secondFactor: 'trusted_device' });
  });

  it('asks again when the client wants the MFA acr, for a revoked or expired device, and when the tenant forbids the bypass', async () => {
    const steps = stepsUnderTest({ allowMfaBypass: true });
    const { cookie } = await signInRemembering(steps, true);
    const mfaAcr = { acr_values: 'urn:identity-platform:acr:mfa' };
    expect((await signInAgain(steps, cookie, { params: mfaAcr }))?.body).toContain('name="code"');
    const essential = {
      claims: JSON.stringify({ id_token: { acr: { essential: true, value: 'urn:identity-platform:acr:mfa' } } }),
    };
    expect((await signInAgain(steps, cookie, { params: essential }))?.body).toContain('name="code"');

    const [row] = steps.trusted.repository.rows;
    row!.revokedAt = new Date();
    expect((await signInAgain(steps, cookie))?.body).toContain('name="code"');
    row!.revokedAt = null;
    steps.trusted.clock.advance(31 * 86_400_000);
    expect((await signInAgain(steps, cookie))?.body).toContain('name="code"');

    // The same trusted browser in a tenant that does not allow the bypass.
    const strict = stepsUnderTest({ allowMfaBypass: false });
    await signInRemembering(strict, false);
    expect(strict.trusted.repository.rows).toEqual([]); // a posted "remember" changes nothing there
    strict.trusted.repository.rows.push(...steps.trusted.repository.rows);
    expect(
      await strict.trusted.service.trustedFor(
        { userId: 'u-mfa', tenantId: TENANT_ID },
        strict.devices.read(request({ cookie })),
      ),
    ).not.toBeNull();
    expect((await signInAgain(strict, cookie))?.body).toContain('name="code"');
  });

  it('never trusts another user’s device cookie, nor a forged or absent one', async () => {
    const steps = stepsUnderTest({ allowMfaBypass: true });
    const { cookie } = await signInRemembering(steps, true);
    // Ada signs in on the same browser: the cookie now names her (same device id) and MFA users after her are asked.
    const ada = response();
    await steps.login.submit(
      request({ cookie }),
      ada,
      interactionPage({ allowMfaBypass: true }),
      { login: 'ada@acme.example', password: PASSWORD },
      '127.0.0.1',
    );
    const adasCookie = deviceCookie(ada);
    expect(adasCookie.split('.')[1]).toBe(cookie.split('.')[1]);
    expect((await signInAgain(steps, adasCookie))?.body).toContain('name="code"');
    expect((await signInAgain(steps, `${cookie}x`))?.body).toContain('name="code"');
    expect((await signInAgain(steps, ''))?.body).toContain('name="code"');
  });

  it('remembers a passkey as the second factor as a strong device', async () => {
    const steps = stepsUnderTest({ allowMfaBypass: true });
    steps.identity.passkeys.push({ credentialId: 'cred-mfa', userId: 'u-mfa' });
    const pending = { userId: 'u-mfa', tenantId: TENANT_ID, methods: ['passkey'] };
    const credential = JSON.stringify({
      id: 'cred-mfa',
      rawId: 'cred-mfa',
      type: 'public-key',
      response: { clientDataJSON: 'Y2Q', authenticatorData: 'YWQ', signature: 'valid' },
      clientExtensionResults: {},
    });
    const page = interactionPage({ allowMfaBypass: true, result: { pendingMfa: pending } });
    // Passkey only (no authenticator app): the checkbox sits in the passkey form itself.
    expect((await steps.mfa.show(page)).body).toMatch(/<form id="passkey-form"[\s\S]*id="remember"[\s\S]*<\/form>/);
    const res = response();
    expect(await steps.passkey.secondFactor(request(), res, page, pending, credential, true)).toBeNull();
    expect(steps.trusted.repository.rows.map((r) => r.trustLevel)).toEqual(['strong']);
    expect(deviceCookie(res)).toMatch(/^device=d1\./);
  });
});
