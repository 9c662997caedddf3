import { oauthCalls } from './support/oauth-calls';
import { usePlatform } from './support/platform';
import { type RelyingParty, relyingParty } from './support/relying-party';
import { expectRule } from './support/rules';

const PASSWORD = 'several windows renew together 4';
/** Short enough to wait out in a test, long enough for parallel refreshes on a busy 2-core machine. */
const LEEWAY_SECONDS = 3;

/**
 * Refresh-token rotation with a reuse leeway (DESIGN §2 "Tokens", RFC 9700 §4.14.2): browser
 * tabs and proxies such as oauth2-proxy refresh in parallel with the same refresh token. Within
 * the leeway those requests all succeed (each gets a sibling of the same rotation), so nobody is
 * signed out; a reuse after the leeway still revokes the whole family.
 */
describe('refresh token reuse leeway', () => {
  const platform = usePlatform('refresh_leeway', {
    authz: { REFRESH_TOKEN_REUSE_LEEWAY_SECONDS: String(LEEWAY_SECONDS) },
  });
  let calls: ReturnType<typeof oauthCalls>;
  let app: RelyingParty;
  const credentials = { login: 'ada@leeway.example', password: PASSWORD };

  beforeAll(async () => {
    calls = oauthCalls(platform);
    const tenantId = (await platform.createTenant('leeway')).id;
    await platform.createUser(tenantId, credentials.login, PASSWORD);
    app = await relyingParty(platform, { type: 'spa', trusted: true, tenantId });
  });

  const refresh = (refreshToken: string) =>
    calls.token(app, { grant_type: 'refresh_token', refresh_token: refreshToken });

  async function freshRefreshToken(): Promise<string> {
    const issued = await calls.code(app, credentials);
    const tokens = await calls.redeem(app, issued);
    if (tokens.status !== 200) throw new Error(`code redemption: ${tokens.status} ${JSON.stringify(tokens.body)}`);
    return tokens.body.refresh_token;
  }

  it('3 parallel refreshes with one refresh token all succeed and every successor keeps working (oauth2-proxy)', async () => {
    const token = await freshRefreshToken();
    const answers = await Promise.all([refresh(token), refresh(token), refresh(token)]);
    const rule = 'DESIGN §2: concurrent refreshes within the leeway get successors, not invalid_grant';
    expectRule(
      rule,
      answers.map((a) => a.status),
    ).toEqual([200, 200, 200]);
    for (const answer of answers) {
      expectRule(rule, await calls.userinfoStatus(answer.body.access_token)).toBe(200);
      const next = await refresh(answer.body.refresh_token);
      expectRule('DESIGN §2: the user stays signed in: each successor refreshes again', next.status).toBe(200);
    }
  });

  it('20 parallel refreshes with one refresh token do not sign the user out', async () => {
    const token = await freshRefreshToken();
    const answers = await Promise.all(Array.from({ length: 20 }, () => refresh(token)));
    const statuses = answers.map((a) => a.status);
    expectRule('DESIGN §2: 20 concurrent refreshes within the leeway', statuses).toEqual(Array(20).fill(200));
    const survivor = answers[answers.length - 1]!.body.refresh_token;
    expectRule('DESIGN §2: the survivor keeps working', (await refresh(survivor)).status).toBe(200);
  });

  it('RFC 9700 §4.14.2: a reuse after the leeway is refused and revokes the whole family', async () => {
    const token = await freshRefreshToken();
    const rotated = await refresh(token);
    expect(rotated.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, (LEEWAY_SECONDS + 1.5) * 1000));
    const replay = await refresh(token);
    expectRule('RFC 9700 §4.14.2: reuse after the leeway detected', replay.body.error).toBe('invalid_grant');
    const successor = await refresh(rotated.body.refresh_token);
    expectRule('RFC 9700 §4.14.2: reuse revokes the successor too', successor.body.error).toBe('invalid_grant');
    expectRule('RFC 9700 §4.14.2: and its access token', await calls.userinfoStatus(rotated.body.access_token)).toBe(
      401,
    );
  });
});
