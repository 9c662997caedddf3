import { devicePages } from './device.step';

/** A koa-like context as oidc-provider hands it to the device-flow renderers. */
const context = (locale = 'en') => {
  const ctx = {
    status: 0,
    body: '' as unknown,
    headers: {} as Record<string, string>,
    set(values: Record<string, string>) {
      Object.assign(ctx.headers, values);
    },
    get: (header: string) => (header === 'accept-language' ? locale : ''),
    oidc: {
      client: { clientId: 'tv', clientName: 'Living-room TV' },
      entities: { DeviceCode: { params: { scope: 'openid email' } } },
    },
  };
  return ctx;
};

describe('device flow pages', () => {
  it("labels the provider's code input and says a wrong code in the language of the browser", async () => {
    const ctx = context('de');
    await devicePages.userCodeInputSource(
      ctx,
      // As oidc-provider writes it: an inline onfocus handler (refused by the CSP) and an English placeholder.
      '<form id="op.deviceInputForm"><input type="text" name="user_code" placeholder="Enter code" onfocus="this.select(); this.onfocus = undefined;" autofocus></form>',
      {},
      {
        userCode: 'X',
      },
    );
    expect(ctx.status).toBe(400);
    expect(ctx.body).toContain('name="user_code" aria-label="Code auf Ihrem Gerät"');
    expect(ctx.body).toContain('Dieser Code ist nicht gültig.');
    expect(ctx.body).not.toMatch(/onfocus|Enter code/);
    expect(ctx.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('confirms naming the client, the code and what the device may do', async () => {
    const ctx = context();
    await devicePages.userCodeConfirmSource(async () => null)(
      ctx,
      '<form id="op.deviceConfirmForm"></form>',
      {},
      {},
      'ABCD-EFGH',
    );
    expect(ctx.body).toContain('<strong>Living-room TV</strong> asks to sign in on a device showing this code:');
    expect(ctx.body).toContain('<p class="code">ABCD-EFGH</p>');
    expect(ctx.body).toContain('<li>See your email address</li>');
  });

  it('says the device is connected', async () => {
    const ctx = context('fr');
    await devicePages.successSource(ctx);
    expect(ctx.body).toContain('Vous êtes connecté sur votre appareil avec Living-room TV.');
  });
});
