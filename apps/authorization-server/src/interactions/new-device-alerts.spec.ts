import type { IncomingMessage } from 'node:http';
import { interactionPage, PASSWORD, request, response, stepsUnderTest } from './steps/steps.spec-helper';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

describe('NewDeviceAlerts (through the login step)', () => {
  /** Signs in from a browser holding `cookie` (or none); returns the device cookie it is given. */
  async function signIn(steps: ReturnType<typeof stepsUnderTest>, login: string, cookie?: string): Promise<string> {
    const req = { ...request(), headers: { 'user-agent': CHROME, ...(cookie && { cookie }) } } as IncomingMessage;
    const res = response();
    expect(
      await steps.login.submit(req, res, interactionPage(), { login, password: PASSWORD }, '127.0.0.1'),
    ).toBeNull();
    return res.cookies[0]!.split(';')[0]!;
  }

  it('tells the backend about a sign-in from a browser without this account’s device cookie, once', async () => {
    const steps = stepsUnderTest();
    const cookie = await signIn(steps, 'ada@acme.example');
    expect(steps.identity.newDeviceSignIns).toEqual([
      { tenantId: expect.any(String), userId: 'u-ada', userAgent: CHROME, signedInAt: new Date(0).toISOString() },
    ]);
    await signIn(steps, 'ada@acme.example', cookie);
    expect(steps.identity.newDeviceSignIns).toHaveLength(1);
  });

  it('counts a browser that last signed in another account as new for this one', async () => {
    const steps = stepsUnderTest();
    steps.identity.addUser({
      id: 'u-bob',
      tenantId: steps.identity.tenants[0]!.id,
      login: 'bob@acme.example',
      password: PASSWORD,
    });
    const adas = await signIn(steps, 'ada@acme.example');
    await signIn(steps, 'bob@acme.example', adas);
    expect(steps.identity.newDeviceSignIns.map((s) => s.userId)).toEqual(['u-ada', 'u-bob']);
  });

  it('stays quiet when the tenant has the alert off, and a backend outage does not fail the sign-in', async () => {
    const steps = stepsUnderTest();
    steps.identity.tenants[0]!.newDeviceAlerts = false;
    await signIn(steps, 'ada@acme.example');
    expect(steps.identity.newDeviceSignIns).toEqual([]);

    const down = stepsUnderTest();
    down.identity.newDeviceSignIn = async () => Promise.reject(new Error('backend down'));
    await signIn(down, 'ada@acme.example');
    expect(down.finished).toHaveLength(1);
  });
});
