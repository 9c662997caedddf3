import { Browser, type BrowserResponse, formValue } from '@platform/testing';
import { authorizationRequest, type RelyingParty } from './relying-party';
import { pageAction } from './sign-in';

export interface LoginAnswer {
  status: number;
  /** The page's alert text (what a person reads), or null. */
  alert: string | null;
  location: string | null;
  page: BrowserResponse;
}

const alertOf = (html: string) => html.match(/role="alert">\s*([^<]*?)\s*</)?.[1] ?? null;

/**
 * One sign-in page of the hosted login, kept open like a person (or a script) would: every
 * submit posts to the same interaction with the CSRF token of the page last shown.
 */
export async function openLogin(app: RelyingParty, extra: Record<string, string> = {}) {
  const browser = new Browser();
  let page = await browser.follow((await authorizationRequest(app, 'openid', extra)).url);
  if (!pageAction(page)?.endsWith('/login'))
    throw new Error(`no login page: ${page.status} ${page.body.slice(0, 300)}`);
  const action = new URL(pageAction(page)!, page.url).toString();

  const submit = async (url: string, form: Record<string, string>): Promise<LoginAnswer> => {
    const res = await browser.post(url, { ...form, csrf: formValue(page.body, 'csrf') ?? '' });
    if (res.status === 200 || res.status === 400 || res.status === 401 || res.status === 429) page = res;
    return { status: res.status, alert: alertOf(res.body), location: res.location, page: res };
  };

  return {
    browser,
    action,
    /** The password step. */
    password: (login: string, password: string) => submit(action, { login, password }),
    /** The second-factor step (after a password answer that showed the MFA page). */
    mfa: (code: string, method: 'totp' | 'recovery_code' = 'totp') =>
      submit(new URL(pageAction(page)!, page.url).toString(), { method, code }),
    /** Whether the page now shown is the second-factor step. */
    atMfa: () => pageAction(page)?.endsWith('/mfa') === true,
  };
}

/**
 * Medians of round-robin timings of each case (so load from other work hits every case alike),
 * and each case's ratio to the first one. With `comparable` bounds, a result outside them is
 * measured again (at most twice more, the samples pooled): on a loaded 2-core machine 8 rounds
 * gave a 0.38 ratio between equal-cost cases, while a real leak (a skipped hash) stays far out
 * however many samples are taken.
 */
export async function timings(
  cases: Record<string, () => Promise<unknown>>,
  rounds: number,
  comparable?: { min: number; max: number },
): Promise<Record<string, { medianMs: number; ratio: number }>> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (const run of Object.values(cases)) await run(); // warm-up: connections, JIT, caches
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const summary = () => {
    const baseline = median(Object.values(samples)[0]!);
    return Object.fromEntries(
      Object.entries(samples).map(([name, values]) => [
        name,
        { medianMs: Math.round(median(values)), ratio: median(values) / baseline },
      ]),
    );
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    for (let round = 0; round < rounds; round++) {
      // ABBA order: background work one case leaves behind (a verification mail, an outbox relay)
      // lands on each other case equally often, instead of always on the case that follows it.
      const order = round % 2 === 0 ? Object.entries(cases) : Object.entries(cases).reverse();
      for (const [name, run] of order) {
        const started = performance.now();
        await run();
        samples[name]!.push(performance.now() - started);
      }
    }
    const result = summary();
    const within = Object.values(result).every(
      ({ ratio }) => !comparable || (ratio > comparable.min && ratio < comparable.max),
    );
    if (within) return result;
  }
  return summary();
}
