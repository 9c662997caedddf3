import { SecurityEventTypes } from '@platform/contracts';
import { parseAssertion } from './passkey.step';
import {
  alertOf,
  interactionPage,
  passkeyAssertion as assertion,
  PASSWORD,
  request,
  response,
  stepsUnderTest,
  TENANT_ID,
} from './steps.spec-helper';

function withPasskeys() {
  const steps = stepsUnderTest();
  steps.identity.passkeys.push({ credentialId: 'cred-ada', userId: 'u-ada' });
  steps.identity.passkeys.push({ credentialId: 'cred-mfa', userId: 'u-mfa' });
  steps.identity.passkeys.push({ credentialId: 'cred-clone', userId: 'u-ada', cloned: true });
  return steps;
}

describe('PasskeyStep', () => {
  it('signs in passwordless with a passkey (amr hwk + mfa), recorded as a passkey sign-in', async () => {
    const steps = withPasskeys();
    expect(await steps.passkey.signIn(request(), response(), interactionPage(), assertion('cred-ada'))).toBeNull();
    expect(steps.finished).toEqual([
      {
        login: expect.objectContaining({ accountId: 'u-ada', amr: ['hwk', 'mfa'], acr: expect.stringMatching(/phr$/) }),
      },
    ]);
    expect(steps.events).toEqual([
      expect.objectContaining({
        type: SecurityEventTypes.loginSucceeded,
        data: expect.objectContaining({ method: 'passkey' }),
      }),
    ]);
  });

  it('refuses a wrong or malformed assertion on the login page (401, counted)', async () => {
    const steps = withPasskeys();
    for (const raw of [assertion('cred-ada', 'forged'), assertion('unknown'), '{"id":1}', 'not json', '']) {
      const page = await steps.passkey.signIn(request(), response(), interactionPage(), raw);
      expect([page?.status, alertOf(page)]).toEqual([
        401,
        'This passkey was not accepted. Try again, or sign in with your password.',
      ]);
      expect(page?.body).toContain('data-conditional="false"');
    }
    expect(steps.events.map((e) => e.data.reason)).toEqual(Array(5).fill('invalid_passkey'));
    expect(steps.finished).toEqual([]);
  });

  it('says a cloned passkey (counter regression) was refused, and records why', async () => {
    const steps = withPasskeys();
    const page = await steps.passkey.signIn(request(), response(), interactionPage(), assertion('cred-clone'));
    expect(page?.status).toBe(401);
    expect(alertOf(page)).toMatch(/^This passkey was refused: it may have been copied to another device/);
    expect(steps.events.map((e) => e.data.reason)).toEqual(['passkey_counter_regression']);
  });

  it('offers the passkey as the second factor after the password, and accepts only the user’s own', async () => {
    const steps = withPasskeys();
    const page = interactionPage();
    const shown = await steps.login.submit(
      request(),
      response(),
      page,
      { login: 'mfa@acme.example', password: PASSWORD },
      '127.0.0.1',
    );
    expect(page.persisted).toEqual([
      { pendingMfa: expect.objectContaining({ methods: ['totp', 'recovery_code', 'passkey'] }) },
    ]);
    expect(shown?.body).toContain('name="code"');
    expect(shown?.body).toContain('<input type="hidden" name="method" value="passkey">');
    const pending = page.persisted[0]!.pendingMfa!;

    const foreign = await steps.passkey.secondFactor(request(), response(), page, pending, assertion('cred-ada'));
    expect([foreign?.status, alertOf(foreign)]).toEqual([
      401,
      'This passkey was not accepted. Try again, or sign in with your password.',
    ]);
    expect(await steps.passkey.secondFactor(request(), response(), page, pending, assertion('cred-mfa'))).toBeNull();
    expect(steps.finished).toEqual([
      { login: expect.objectContaining({ accountId: 'u-mfa', amr: ['pwd', 'hwk', 'mfa'] }) },
    ]);
  });

  it('does not make a second step due by itself: a password user with a passkey and no app signs in', async () => {
    const steps = withPasskeys();
    const login = { login: 'ada@acme.example', password: PASSWORD };
    expect(await steps.login.submit(request(), response(), interactionPage(), login, '127.0.0.1')).toBeNull();
    expect(steps.finished).toEqual([{ login: expect.objectContaining({ accountId: 'u-ada', amr: ['pwd'] }) }]);
  });

  it('shows only the passkey at the second step when the user has no authenticator app', async () => {
    const steps = withPasskeys();
    const pending = { userId: 'u-ada', tenantId: TENANT_ID, methods: ['passkey'] };
    const shown = await steps.mfa.show(interactionPage({ result: { pendingMfa: pending } }));
    expect(shown.body).not.toContain('name="code"');
    expect(shown.body).toContain('id="passkey-form"');
    expect(shown.headers['content-security-policy']).toMatch(/script-src 'nonce-[^']+';/);
  });

  it('keeps only the fields of an assertion', () => {
    expect(parseAssertion(assertion('c'))).toEqual({
      id: 'c',
      rawId: 'c',
      type: 'public-key',
      response: { clientDataJSON: 'Y2Q', authenticatorData: 'YWQ', signature: 'valid', userHandle: 'dWg' },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    });
    expect(parseAssertion('x'.repeat(70_000))).toBeNull();
  });
});
