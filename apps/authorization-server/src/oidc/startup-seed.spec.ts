import type { DataSource } from 'typeorm';
import type { AuthorizationServerConfig } from '../config';
import type { SigningKeys } from '../keys/signing-keys.service';
import type { ResourceServers } from '../resource-servers/resource-servers';
import {
  ensureAdminCliClient,
  IDENTITY_API_PERMISSIONS_ADDED_LATER,
  widenBootstrapScopes,
  widenScopePermissions,
} from './bootstrap';
import { ensureDemoClient, narrowDemoClient } from './demo-client';
import { StartupSeed } from './startup-seed';

jest.mock('./bootstrap', () => ({
  ...jest.requireActual('./bootstrap'),
  ensureAdminCliClient: jest.fn(async () => null),
  widenBootstrapScopes: jest.fn(async () => []),
  widenScopePermissions: jest.fn(async () => []),
}));
jest.mock('./demo-client', () => ({
  ensureDemoClient: jest.fn(async () => false),
  narrowDemoClient: jest.fn(async () => false),
}));

describe('StartupSeed', () => {
  const config = {
    IDENTITY_API_AUDIENCE: 'https://identity.example/api',
    AUTHZ_API_AUDIENCE: 'https://authz.example/api',
    BOOTSTRAP_DEMO_CLIENT: false,
    BOOTSTRAP_ADMIN_CLI_SECRET: undefined,
  } as unknown as AuthorizationServerConfig;
  const dataSource = {} as DataSource;
  const setUp = () => {
    const order: string[] = [];
    const keys = { ensureKeys: jest.fn(async () => void order.push('keys')) };
    const resourceServers = { ensure: jest.fn(async ({ identifier }) => void order.push(identifier)) };
    const seed = new StartupSeed(
      config,
      dataSource,
      keys as unknown as SigningKeys,
      resourceServers as unknown as ResourceServers,
    );
    return { seed, order, resourceServers };
  };

  it("ensures a signing key first, then the platform's two APIs, then the bootstrapped clients", async () => {
    const { seed, order, resourceServers } = setUp();
    await seed.run();
    expect(order).toEqual(['keys', config.IDENTITY_API_AUDIENCE, config.AUTHZ_API_AUDIENCE]);
    expect(resourceServers.ensure).toHaveBeenCalledWith(
      expect.objectContaining({ identifier: config.IDENTITY_API_AUDIENCE, includePermissions: true }),
    );
    expect(ensureAdminCliClient).toHaveBeenCalledWith(dataSource, undefined);
    expect(widenBootstrapScopes).toHaveBeenCalledWith(dataSource, config.AUTHZ_API_AUDIENCE);
    expect(widenScopePermissions).toHaveBeenCalledWith(
      dataSource,
      config.IDENTITY_API_AUDIENCE,
      IDENTITY_API_PERMISSIONS_ADDED_LATER,
    );
    expect(narrowDemoClient).toHaveBeenCalled();
  });

  it('creates the demo client only when BOOTSTRAP_DEMO_CLIENT is on', async () => {
    const { seed } = setUp();
    await seed.run();
    expect(ensureDemoClient).not.toHaveBeenCalled();
  });
});
