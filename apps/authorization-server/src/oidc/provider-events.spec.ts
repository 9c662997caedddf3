import { SecurityEventTypes } from '@platform/contracts';
import type Provider from 'oidc-provider';
import { EventEmitter } from 'node:events';
import { listenToProviderEvents } from './provider-events';

describe('listenToProviderEvents', () => {
  const setUp = () => {
    const provider = new EventEmitter();
    const recordSoon = jest.fn();
    const log = { warn: jest.fn(), error: jest.fn() };
    listenToProviderEvents(
      provider as unknown as Pick<Provider, 'on'>,
      { clientTenants: { of: async (id) => (id === 'tenant-app' ? 't-1' : null) }, securityEvents: { recordSoon } },
      log,
    );
    return { provider, recordSoon, log };
  };
  const flush = () => new Promise((resolve) => setImmediate(resolve));

  it('records a token-issued event with the granted scope and the client tenant', async () => {
    const { provider, recordSoon } = setUp();
    provider.emit('grant.success', {
      oidc: {
        client: { clientId: 'tenant-app' },
        account: { accountId: 'u-1' },
        params: { grant_type: 'refresh_token' },
      },
      body: { scope: 'openid orders.read' },
    });
    await flush();
    expect(recordSoon).toHaveBeenCalledWith({
      type: SecurityEventTypes.tokenIssued,
      subject: 'u-1',
      tenantId: 't-1',
      data: { clientId: 'tenant-app', grantType: 'refresh_token', userId: 'u-1', scope: 'openid orders.read' },
    });
  });

  it('names the client as subject of a machine token, and ignores client-less grants', async () => {
    const { provider, recordSoon } = setUp();
    provider.emit('grant.success', { oidc: {} });
    provider.emit('grant.success', {
      oidc: { client: { clientId: 'm2m' }, params: { grant_type: 'client_credentials' } },
    });
    await flush();
    expect(recordSoon).toHaveBeenCalledTimes(1);
    expect(recordSoon.mock.calls[0][0]).toMatchObject({ subject: 'm2m', tenantId: null, data: { userId: null } });
  });

  it('logs failed back-channel deliveries and provider errors for the operator', () => {
    const { provider, log } = setUp();
    provider.emit('backchannel.error', {}, new Error('connect refused'), { clientId: 'app' });
    provider.emit('server_error', {}, new Error('boom'));
    expect(log.warn).toHaveBeenCalledWith(
      expect.stringContaining('back-channel logout to client app failed: connect refused'),
    );
    expect(log.error).toHaveBeenCalledWith(expect.stringContaining('boom'));
  });
});
