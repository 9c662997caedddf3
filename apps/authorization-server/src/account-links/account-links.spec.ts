import { FakeIdentityInternalClient, type InternalIdentityProvider } from '@platform/contracts';
import { Keyring } from '@platform/crypto';
import type { Principal } from '@platform/resource-server';
import { ManualClock } from '@platform/runtime';
import type { IncomingMessage } from 'node:http';
import type { AuthorizationServerConfig } from '../config';
import type { FederatedLogin } from '../interactions/federated-login';
import { AccountLinks } from './account-links.service';

const TENANT = '00000000-0000-4000-8000-000000000001';
const provider: InternalIdentityProvider = {
  id: '00000000-0000-4000-8000-0000000000aa',
  tenantId: TENANT,
  slug: 'partner',
  displayName: 'Partner SSO',
  issuer: 'https://partner.example',
  clientId: 'downstream',
  clientSecret: 's',
  scopes: ['openid'],
};

describe('AccountLinks', () => {
  function links() {
    const identity = new FakeIdentityInternalClient();
    const clock = new ManualClock(Date.parse('2026-12-01T12:00:00Z'));
    const federation = {
      providers: async () => [provider],
      start: async (_p: InternalIdentityProvider, prefix: string) => ({
        url: 'https://partner.example/authorize',
        pending: { providerId: provider.id, state: `${prefix}.random`, nonce: 'n', verifier: 'v' },
      }),
      finish: async () => ({ subject: 'upstream-ada', claims: { email: 'ada@partner.example' } }),
    } as unknown as FederatedLogin;
    const config = { ISSUER: 'https://id.example.test' } as AuthorizationServerConfig;
    const service = new AccountLinks(federation, identity, Keyring.parse(Keyring.generateSpec('k1')), config, clock);
    return { service, identity, clock };
  }
  const me = (subject: string) => ({ subject, tenantId: TENANT }) as Principal;
  const browser = (setCookie?: string) =>
    ({ headers: setCookie ? { cookie: setCookie.split(';')[0] } : {} }) as IncomingMessage;

  it('tells its callbacks from the sign-ins’ (state prefix)', () => {
    expect(AccountLinks.owns('link.abc')).toBe(true);
    expect(AccountLinks.owns('Vx0uid12345.abc')).toBe(false);
    expect(AccountLinks.owns(undefined)).toBe(false);
  });

  it('links the upstream account to the user who started it, in the browser that started it', async () => {
    const { service, identity } = links();
    const started = await service.start(me('u-ada'), 'partner');
    expect(started.url).toBe('https://partner.example/authorize');
    expect(started.setCookie).toMatch(
      /^account_link=[^;]+; Path=\/external-links\/callback; Max-Age=600; HttpOnly; SameSite=Lax; Secure$/,
    );
    const done = await service.finish(browser(started.setCookie), 'state=link.random&code=c');
    expect(done.location).toBe('/account/linked-accounts?linked=partner');
    expect(done.setCookie).toMatch(/^account_link=; Path=\/external-links\/callback; Max-Age=0/);
    expect(identity.links.get(`${provider.id}:upstream-ada`)).toBe('u-ada');
  });

  it('links nothing without the cookie, with another state, after ten minutes, or when cancelled upstream', async () => {
    const { service, identity, clock } = links();
    const { setCookie } = await service.start(me('u-ada'), 'partner');
    const outcome = async (req: IncomingMessage, query: string) =>
      new URLSearchParams((await service.finish(req, query)).location.split('?')[1]).get('link_error');
    expect(await outcome(browser(), 'state=link.random&code=c')).toBe('expired');
    expect(await outcome(browser(setCookie), 'state=link.other&code=c')).toBe('expired');
    expect(await outcome(browser(setCookie), 'state=link.random&error=access_denied')).toBe('cancelled');
    clock.advance(10 * 60_000 + 1);
    expect(await outcome(browser(setCookie), 'state=link.random&code=c')).toBe('expired');
    expect(identity.links.size).toBe(0);
  });

  it('refuses an upstream account linked to someone else, and an unknown provider', async () => {
    const { service, identity } = links();
    identity.links.set(`${provider.id}:upstream-ada`, 'u-bob');
    const { setCookie } = await service.start(me('u-ada'), 'partner');
    expect((await service.finish(browser(setCookie), 'state=link.random&code=c')).location).toBe(
      '/account/linked-accounts?link_error=taken',
    );
    await expect(service.start(me('u-ada'), 'nobody')).rejects.toMatchObject({ code: 'idp_not_found' });
  });
});
