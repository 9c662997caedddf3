import { SecurityEventTypes } from '@platform/contracts';
import { sha256Hex } from '@platform/crypto';
import { ManualClock } from '@platform/runtime';
import type { DataSource, EntityManager } from 'typeorm';
import type { ClusterConfig } from '../cluster/cluster-config';
import type { AuthorizationServerConfig } from '../config';
import type { SecurityEvents } from '../events/security-events';
import type { OidcProviderHolder } from '../oidc/oidc-provider.holder';
import { ClientErrorCode } from './client-errors';
import type { ClientsRepository } from './clients.repository';
import { ClientsService } from './clients.service';
import type { OAuthClient } from './oauth-client.entity';

describe('ClientsService.rotateSecret', () => {
  const NOW = Date.parse('2026-12-01T12:00:00Z');

  const setUp = () => {
    const manager = {} as EntityManager;
    const dataSource = {
      transaction: async <R>(work: (m: EntityManager) => Promise<R>) => work(manager),
    } as unknown as DataSource;
    const stored: OAuthClient[] = [
      { clientId: 'portal', tenantId: 'tenant-a', secretHash: sha256Hex('old secret') } as OAuthClient,
      { clientId: 'spa', tenantId: 'tenant-a', secretHash: null } as OAuthClient,
    ];
    const saved: OAuthClient[] = [];
    const clients = {
      find: async (scope: string, clientId: string) =>
        stored.find((c) => c.clientId === clientId && c.tenantId === scope) ?? null,
      save: async (m: EntityManager, client: OAuthClient) => {
        if (m !== manager) throw new Error('saved outside the transaction');
        saved.push({ ...client });
        return client;
      },
    };
    const appended: { type: string; data: Record<string, unknown> }[] = [];
    const security = {
      append: async (_m: EntityManager, event: (typeof appended)[number]) => void appended.push(event),
    };
    const announced: string[] = [];
    const cluster = {
      announce: async (topic: string, m: EntityManager) => void announced.push(m === manager ? topic : 'outside'),
      reload: jest.fn(async () => undefined),
    };
    const service = new ClientsService(
      dataSource,
      clients as unknown as ClientsRepository,
      {} as OidcProviderHolder,
      security as unknown as SecurityEvents,
      cluster as unknown as ClusterConfig,
      {} as AuthorizationServerConfig,
      new ManualClock(NOW),
    );
    return { service, saved, appended, announced, cluster };
  };

  it('shows a new secret once, stores its hash, and keeps the previous one until the overlap ends by the clock', async () => {
    const { service, saved, appended, announced, cluster } = setUp();
    const { secret } = await service.rotateSecret('tenant-a', 'portal', 3600, 'admin-1');
    expect(saved).toEqual([
      expect.objectContaining({
        secretHash: sha256Hex(secret),
        previousSecretHash: sha256Hex('old secret'),
        previousSecretExpiresAt: new Date(NOW + 3_600_000),
      }),
    ]);
    expect(appended).toEqual([
      expect.objectContaining({
        type: SecurityEventTypes.clientSecretRotated,
        data: { clientId: 'portal', overlapSeconds: 3600, actor: 'admin-1' },
      }),
    ]);
    // Every replica drops its client cache: announced in the transaction, reloaded here after it.
    expect(announced).toHaveLength(1);
    expect(cluster.reload).toHaveBeenCalledTimes(1);
  });

  it("refuses a public client (no secret) and does not find another tenant's client", async () => {
    const { service, saved } = setUp();
    await expect(service.rotateSecret('tenant-a', 'spa', 60)).rejects.toMatchObject({
      code: ClientErrorCode.PublicClient,
    });
    await expect(service.rotateSecret('tenant-b', 'portal', 60)).rejects.toMatchObject({
      code: ClientErrorCode.NotFound,
    });
    expect(saved).toEqual([]);
  });
});
