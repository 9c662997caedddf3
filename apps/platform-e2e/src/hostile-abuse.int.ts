import { Browser, fetchJson, formValue, jsonBody, mailsTo, testSmtpUrl } from '@platform/testing';
import { usePlatform } from './support/platform';
import { authorizationRequest, type RelyingParty, relyingParty } from './support/relying-party';
import { eventually, expectRule } from './support/rules';
import { pageAction } from './support/sign-in';

const PASSWORD = 'abuse is cheap, limits are not';
const MAIL_PER_ADDRESS = 3;
const MAIL_PER_IP = 40;
const REGISTRATIONS_PER_IP = 10;
const LOGIN_IP_MAX_FAILURES = 5;
const LOGIN_DEVICE_MAX_FAILURES = 3;

/**
 * Hostile-input suite, part 5: abuse of the public endpoints (issue 11, defects 6 and 7) —
 * mail bombing through password resets and verification mails, mass self-registration,
 * invisible and bidi characters in addresses and names, and the per-IP sign-in throttle used
 * as a lock-out weapon against other tenants and against users on their own (known) devices.
 * Every request here comes from 127.0.0.1, like an office behind one proxy.
 */
describe('hostile input: abuse limits and a throttle that cannot lock out the innocent', () => {
  const platform = usePlatform('hostile_abuse', {
    identity: {
      SMTP_URL: testSmtpUrl(),
      MAIL_LIMIT_PER_ADDRESS: String(MAIL_PER_ADDRESS),
      MAIL_LIMIT_PER_IP: String(MAIL_PER_IP),
      MAIL_LIMIT_WINDOW_SECONDS: '900',
      REGISTRATION_LIMIT_PER_IP: String(REGISTRATIONS_PER_IP),
      REGISTRATION_LIMIT_WINDOW_SECONDS: '3600',
      LOGIN_IP_MAX_FAILURES: String(LOGIN_IP_MAX_FAILURES),
      LOGIN_IP_WINDOW_SECONDS: '300',
      LOGIN_DEVICE_MAX_FAILURES: String(LOGIN_DEVICE_MAX_FAILURES),
    },
  });
  let tenantA: string;
  let tenantB: string;
  let appA: RelyingParty;
  let appB: RelyingParty;

  beforeAll(async () => {
    tenantA = (await platform.createTenant('abuse-a', { selfRegistration: true })).id;
    tenantB = (await platform.createTenant('abuse-b', { selfRegistration: true })).id;
    appA = await relyingParty(platform, { type: 'confidential', trusted: true, tenantId: tenantA });
    appB = await relyingParty(platform, { type: 'confidential', trusted: true, tenantId: tenantB });
  });

  const publicPost = (path: string, body: unknown) => fetchJson(`${platform.identityUrl}${path}`, jsonBody(body));
  const usersLike = async (tenantId: string, email: string) =>
    ((await platform.identityAdmin('GET', `/api/v1/users?tenantId=${tenantId}&email=${email}`)).body.items ?? []).map(
      (u: { email: string }) => u.email,
    );

  describe('invisible and format characters (Unicode Cf, bidi controls)', () => {
    it('DESIGN §7: an email with a zero-width space is refused with 400 and a code, and nothing is created', async () => {
      const registration = await publicPost('/api/v1/registrations', {
        tenant: 'abuse-a',
        email: 'ad\u200Ba@abuse.example',
        password: PASSWORD,
      });
      expectRule('DESIGN §7: U+200B in a registered email → 400', registration.status).toBe(400);
      expectRule('DESIGN §7: U+200B in a registered email → a code', registration.body.error?.code).toBe(
        'invalid_characters',
      );
      const admin = await platform.identityAdmin('POST', '/api/v1/users', {
        tenantId: tenantA,
        email: 'ad\u200Ba@abuse.example',
        password: PASSWORD,
      });
      expectRule('DESIGN §7: U+200B in an admin-created email → 400', admin.status).toBe(400);
      expect(admin.body.error?.code).toBe('invalid_characters');
      expectRule('DESIGN §7: nothing created for an invisible-character email', await usersLike(tenantA, 'ad')).toEqual(
        [],
      );
    });

    it('DESIGN §7: a display name with a bidi override (U+202E) is refused with 400 and a code, on create and update', async () => {
      const registration = await publicPost('/api/v1/registrations', {
        tenant: 'abuse-a',
        email: 'bidi@abuse.example',
        password: PASSWORD,
        profile: { name: 'Ada \u202Egnp.exe' },
      });
      expectRule('DESIGN §7: U+202E in a display name → 400', registration.status).toBe(400);
      expectRule('DESIGN §7: U+202E in a display name → a code', registration.body.error?.code).toBe(
        'invalid_characters',
      );
      expectRule('DESIGN §7: nothing created for a bidi display name', await usersLike(tenantA, 'bidi')).toEqual([]);

      const user = await platform.createUser(tenantA, 'profile-bidi@abuse.example', PASSWORD);
      const update = await platform.identityAdmin('PUT', `/api/v1/users/${user.id}/profile?tenantId=${tenantA}`, {
        name: 'Ada',
        family_name: 'Love\u2066lace',
      });
      expectRule('DESIGN §7: U+2066 in a profile name → 400', update.status).toBe(400);
      expect(update.body.error?.code).toBe('invalid_characters');
      const after = await platform.identityAdmin('GET', `/api/v1/users/${user.id}?tenantId=${tenantA}`);
      expect(after.body.profile).toEqual({});
      // Visible text in any script (and an emoji joined with ZWJ) is still welcome.
      const fine = await platform.identityAdmin('PUT', `/api/v1/users/${user.id}/profile?tenantId=${tenantA}`, {
        name: 'Ада Лавлейс 👩\u200D💻',
      });
      expect(fine.status).toBe(200);
    });
  });

  describe('mail and registration limits (429 + Retry-After)', () => {
    it('DESIGN §7: 20 password resets for one address send at most the per-address limit of mails; the rest get 429 + Retry-After', async () => {
      const victim = 'reset-flood@abuse.example';
      await platform.createUser(tenantA, victim, PASSWORD);
      const answers = [];
      for (let i = 0; i < 20; i++)
        answers.push(await publicPost('/api/v1/password-resets', { tenant: 'abuse-a', email: victim }));
      const accepted = answers.filter((a) => a.status === 202).length;
      const refused = answers.filter((a) => a.status === 429);
      // The mails leave after the answer: wait for the accepted ones to arrive, then count.
      await eventually(async () => (await mailsTo(victim)).length >= accepted, 10_000, 200);
      await new Promise((r) => setTimeout(r, 1_000));
      const mails = (await mailsTo(victim)).length;
      console.log(
        `password-reset flood: sent 20, accepted ${accepted}, refused ${refused.length} (429), mails received ${mails}`,
      );
      expectRule('DESIGN §7: at most the per-address limit accepted', accepted).toBeLessThanOrEqual(MAIL_PER_ADDRESS);
      expectRule('DESIGN §7: the rest refused with 429', refused.length).toBe(20 - accepted);
      expectRule('DESIGN §7: mails to one address ≤ the limit', mails).toBeLessThanOrEqual(MAIL_PER_ADDRESS);
      for (const answer of refused) {
        expectRule(
          'DESIGN §7: a refused reset says when to retry',
          Number(answer.headers.get('retry-after')),
        ).toBeGreaterThan(0);
        expect(answer.body.error.code).toBe('too_many_requests');
      }
    });

    it('DESIGN §7: the per-address limit does not tell whether the address has an account', async () => {
      await platform.createUser(tenantA, 'known-limit@abuse.example', PASSWORD);
      const sequence = async (email: string) => {
        const out = [];
        for (let i = 0; i <= MAIL_PER_ADDRESS; i++) {
          const res = await publicPost('/api/v1/password-resets', { tenant: 'abuse-a', email });
          out.push({ status: res.status, code: res.body.error?.code ?? res.body.status });
        }
        return out;
      };
      const known = await sequence('known-limit@abuse.example');
      const unknown = await sequence('ghost-limit@abuse.example');
      console.log(`reset limit, known vs unknown address: ${JSON.stringify({ known, unknown })}`);
      expectRule('DESIGN §7: same answers for a known and an unknown address', unknown).toEqual(known);
      expect(known.at(-1)!.status).toBe(429);
    });

    it('DESIGN §7: verification mails are limited per address too', async () => {
      const user = (
        await platform.identityAdmin('POST', '/api/v1/users', {
          tenantId: tenantA,
          email: 'verify-flood@abuse.example',
          password: PASSWORD,
        })
      ).body;
      const statuses = [];
      for (let i = 0; i < 6; i++) {
        statuses.push(
          (await platform.identityAdmin('POST', `/api/v1/users/${user.id}/verify-email/send?tenantId=${tenantA}`))
            .status,
        );
      }
      console.log(`verification-mail flood: sent 6, answers ${statuses.join(',')}`);
      expectRule('DESIGN §7: verification mails per address', statuses.filter((s) => s === 202).length).toBe(
        MAIL_PER_ADDRESS,
      );
      expect(statuses.slice(MAIL_PER_ADDRESS).every((s) => s === 429)).toBe(true);
    });

    it('DESIGN §7: one IP asking for mails to many addresses is limited per IP', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < MAIL_PER_IP; i++) {
        statuses.push(
          (await publicPost('/api/v1/password-resets', { tenant: 'abuse-a', email: `spray-${i}@abuse.example` }))
            .status,
        );
      }
      const accepted = statuses.filter((s) => s === 202).length;
      const refused = statuses.filter((s) => s === 429).length;
      console.log(`reset spray over ${MAIL_PER_IP} addresses from one IP: accepted ${accepted}, refused ${refused}`);
      expectRule('DESIGN §7: per-IP mail limit', refused).toBeGreaterThan(0);
      expect(accepted + refused).toBe(MAIL_PER_IP);
    });

    it('DESIGN §7: 20 self-registrations from one IP are refused after the per-IP limit with 429 + Retry-After', async () => {
      const answers = [];
      for (let i = 0; i < 20; i++) {
        answers.push(
          await publicPost('/api/v1/registrations', {
            tenant: 'abuse-b',
            email: `signup-${i}@abuse.example`,
            password: PASSWORD,
          }),
        );
      }
      const accepted = answers.filter((a) => a.status === 202).length;
      const refused = answers.filter((a) => a.status === 429);
      const created = (await usersLike(tenantB, 'signup-')).length;
      console.log(
        `registration flood: sent 20, accepted ${accepted}, refused ${refused.length} (429), users created ${created}`,
      );
      expectRule('DESIGN §7: registrations per IP', accepted).toBeLessThanOrEqual(REGISTRATIONS_PER_IP);
      expectRule('DESIGN §7: the rest refused with 429', refused.length).toBe(20 - accepted);
      expect(created).toBe(accepted);
      const first429 = answers.findIndex((a) => a.status === 429);
      expect(answers.slice(first429).every((a) => a.status === 429)).toBe(true);
      expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused[0]!.body.error.code).toBe('too_many_requests');
    });
  });

  describe('the per-IP sign-in throttle cannot lock out the innocent', () => {
    /** Opens the hosted login in `browser` (prompt=login, so a session does not skip it) and submits a password. */
    async function signInWith(browser: Browser, app: RelyingParty, login: string, password: string) {
      const page = await browser.follow((await authorizationRequest(app, 'openid', { prompt: 'login' })).url);
      const action = pageAction(page);
      if (!action?.endsWith('/login')) throw new Error(`no login page: ${page.status} ${page.body.slice(0, 300)}`);
      const res = await browser.post(new URL(action, page.url).toString(), {
        login,
        password,
        csrf: formValue(page.body, 'csrf') ?? '',
      });
      return { status: res.status, alert: res.body.match(/role="alert">\s*([^<]*?)\s*</)?.[1] ?? null };
    }

    let knownDevice: Browser;

    beforeAll(async () => {
      await platform.createUser(tenantA, 'alice@a.abuse.example', PASSWORD);
      await platform.createUser(tenantA, 'device-guess@a.abuse.example', PASSWORD);
      await platform.createUser(tenantB, 'bob@b.abuse.example', PASSWORD);
      // Alice signed in on this browser before the attack.
      knownDevice = new Browser();
      expect((await signInWith(knownDevice, appA, 'alice@a.abuse.example', PASSWORD)).status).toBe(303);
      // The attack: failures from this IP against tenant A until it is throttled.
      let throttled = false;
      let sent = 0;
      for (let i = 0; i <= LOGIN_IP_MAX_FAILURES + 1 && !throttled; i++, sent++) {
        throttled =
          (await signInWith(new Browser(), appA, `sprayed-${i}@a.abuse.example`, 'Summer2025!')).status === 429;
      }
      console.log(`sign-in spray against tenant A: ${sent} attempts, throttled=${throttled}`);
      expect(throttled).toBe(true);
    });

    it('DESIGN §7: a throttled IP in tenant A does not stop a right password for a user of tenant B', async () => {
      const bob = await signInWith(new Browser(), appB, 'bob@b.abuse.example', PASSWORD);
      console.log(`tenant B sign-in from the throttled IP: ${bob.status}`);
      expectRule('DESIGN §7: the per-IP throttle is per (IP, tenant)', bob.status).toBe(303);
    });

    it('OWASP device cookies: a right password from a known device signs in while the IP is throttled; without the cookie it is refused', async () => {
      const unknownDevice = await signInWith(new Browser(), appA, 'alice@a.abuse.example', PASSWORD);
      const withCookie = await signInWith(knownDevice, appA, 'alice@a.abuse.example', PASSWORD);
      console.log(
        `tenant A, throttled IP, right password: without device cookie ${unknownDevice.status}, with device cookie ${withCookie.status}`,
      );
      expectRule('DESIGN §7: an unknown device is still throttled', unknownDevice.status).toBe(429);
      expectRule('DESIGN §7 / OWASP: a known device always gets through', withCookie.status).toBe(303);
    });

    it('OWASP device cookies: a device cookie is only honoured for its own account, and not after repeated failures', async () => {
      // Alice's cookie does not open the throttle for another account.
      const other = await signInWith(knownDevice, appA, 'device-guess@a.abuse.example', PASSWORD);
      expectRule('OWASP: a device cookie counts only for the account it was issued to', other.status).toBe(429);
      // A browser holding Alice's cookie that guesses her password stops being trusted.
      const guessing = new Browser();
      expect((await signInWith(guessing, appB, 'bob@b.abuse.example', PASSWORD)).status).toBe(303);
      const stolen = knownDevice; // the cookie an attacker copied
      const guesses: number[] = [];
      for (let i = 0; i < LOGIN_DEVICE_MAX_FAILURES; i++)
        guesses.push((await signInWith(stolen, appA, 'alice@a.abuse.example', `guess ${i}`)).status);
      const afterGuesses = await signInWith(stolen, appA, 'alice@a.abuse.example', PASSWORD);
      console.log(`device cookie guesses: ${guesses.join(',')}; then the right password: ${afterGuesses.status}`);
      expectRule(
        'OWASP: failures with a device cookie are answered like any failure',
        guesses.every((s) => s === 401),
      ).toBe(true);
      expectRule('OWASP: a device cookie with too many failures is no longer honoured', afterGuesses.status).toBe(429);
    });

    it('issue 11 §8: a temporarily locked account is told so after the right password, and only then', async () => {
      const tenantC = (
        await platform.createTenant('abuse-c', {
          lockoutPolicy: { maxFailedAttempts: 3, lockSeconds: 60, maxLockSeconds: 60 },
        })
      ).id;
      const appC = await relyingParty(platform, { type: 'confidential', trusted: true, tenantId: tenantC });
      await platform.createUser(tenantC, 'locked@c.abuse.example', PASSWORD);
      const wrong = [];
      for (let i = 0; i < 3; i++)
        wrong.push(await signInWith(new Browser(), appC, 'locked@c.abuse.example', `guess ${i}`));
      const right = await signInWith(new Browser(), appC, 'locked@c.abuse.example', PASSWORD);
      const wrongWhileLocked = await signInWith(new Browser(), appC, 'locked@c.abuse.example', 'guess again');
      console.log(
        `locked account: wrong ${JSON.stringify(wrong[0])}, right ${JSON.stringify(right)}, wrong while locked ${JSON.stringify(wrongWhileLocked)}`,
      );
      expectRule('issue 11 §8: the right password on a locked account is refused', right.status).toBe(401);
      expectRule('issue 11 §8: ... and says the account is temporarily locked, offering a reset', right.alert).toMatch(
        /temporarily locked.*reset your password/,
      );
      expectRule('DESIGN §7: a wrong password on a locked account gets the uniform answer', wrongWhileLocked).toEqual(
        wrong[0],
      );
    });
  });
});
