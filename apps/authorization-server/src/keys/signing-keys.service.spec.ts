import { Keyring } from '@platform/crypto';
import { ManualClock } from '@platform/runtime';
import { SecurityEventTypes } from '@platform/contracts';
import type { EntityManager } from 'typeorm';
import type { ClusterConfig } from '../cluster/cluster-config';
import type { SecurityEvents } from '../events/security-events';
import { SIGNING_ALGORITHMS, type SigningAlgorithm, type SigningKey } from './signing-key.entity';
import type { SigningKeysRepository } from './signing-keys.repository';
import { SigningKeys } from './signing-keys.service';

describe('SigningKeys', () => {
  const LEAD_SECONDS = 60;
  const START = Date.parse('2026-12-01T12:00:00Z');
  const manager = {} as EntityManager;

  /** The signing_keys table in memory; a real database stamps createdAt, here it is the clock's time. */
  const setUp = () => {
    const clock = new ManualClock(START);
    const rows: SigningKey[] = [];
    const repository = {
      changeKeys: jest.fn(async <T>(work: (m: EntityManager) => Promise<T>) => work(manager)),
      current: jest.fn(async (_m?: EntityManager, algs?: readonly SigningAlgorithm[]) =>
        rows.filter((k) => k.status !== 'retired' && (!algs || algs.includes(k.alg))),
      ),
      nextOf: jest.fn(
        async (_m: EntityManager, alg: SigningAlgorithm) =>
          rows.find((k) => k.status === 'next' && k.alg === alg) ?? null,
      ),
      activate: jest.fn(async (_m: EntityManager, kid: string, at: Date) => {
        Object.assign(
          rows.find((k) => k.kid === kid)!,
          { status: 'active', activatedAt: at },
        );
      }),
      retireActive: jest.fn(async (_m: EntityManager, alg: SigningAlgorithm, at: Date) => {
        for (const key of rows.filter((k) => k.status === 'active' && k.alg === alg)) {
          Object.assign(key, { status: 'retired', retiredAt: at });
        }
      }),
      save: jest.fn(async (_m: EntityManager, keys: SigningKey[]) => {
        for (const key of keys) rows.push(Object.assign(key, { createdAt: clock.now() }));
        return keys;
      }),
      retiredKids: jest.fn(async () => rows.filter((k) => k.status === 'retired').map((k) => k.kid)),
      deleteRetiredBefore: jest.fn(async () => 0),
      published: jest.fn(async () => [...rows].reverse()),
      list: jest.fn(async () => [...rows].reverse()),
    };
    const security = { append: jest.fn(async () => undefined) };
    const cluster = { announce: jest.fn(async () => undefined), reload: jest.fn(async () => undefined) };
    const keys = new SigningKeys(
      repository as unknown as SigningKeysRepository,
      Keyring.parse(Keyring.generateSpec('spec')),
      security as unknown as SecurityEvents,
      cluster as unknown as ClusterConfig,
      clock,
      { SIGNING_KEY_PUBLISH_LEAD_SECONDS: LEAD_SECONDS },
    );
    return { keys, rows, repository, security, cluster, clock };
  };
  const of = (rows: SigningKey[], status: SigningKey['status']) =>
    rows
      .filter((k) => k.status === status)
      .map((k) => k.alg)
      .sort();

  it('starts every family with an active key and a published next one, announced to the other replicas', async () => {
    const { keys, rows, cluster } = setUp();
    await keys.ensureKeys();
    expect(of(rows, 'active')).toEqual([...SIGNING_ALGORITHMS].sort());
    expect(of(rows, 'next')).toEqual([...SIGNING_ALGORITHMS].sort());
    expect(cluster.announce).toHaveBeenCalledTimes(1);
    // Sealed at rest; the provider gets the private JWKs, active ones first and ES256's first of all.
    expect(rows.every((k) => !k.privateJwkSealed.includes('"d"'))).toBe(true);
    const jwks = await keys.privateJwks();
    expect(jwks).toHaveLength(6);
    expect(jwks[0]).toMatchObject({
      alg: 'ES256',
      kid: rows.find((k) => k.alg === 'ES256' && k.status === 'active')!.kid,
    });
    expect(jwks[0]!.d).toBeDefined();

    await keys.ensureKeys();
    expect(rows).toHaveLength(6);
    expect(cluster.announce).toHaveBeenCalledTimes(1);
  });

  it('rotates a family once its next key has been published for the lead time: next signs, active retires', async () => {
    const { keys, rows, security, cluster, clock } = setUp();
    await keys.ensureKeys();
    const before = Object.fromEntries(rows.map((k) => [`${k.alg}:${k.status}`, k.kid]));
    clock.advance(LEAD_SECONDS * 1000);
    const result = await keys.rotate('operator', 'RS256');
    expect(result.keys.RS256?.active).toBe(before['RS256:next']);
    expect(result.retired).toEqual([before['RS256:active']]);
    const retired = rows.find((k) => k.kid === before['RS256:active'])!;
    expect(retired.retiredAt).toEqual(clock.now());
    expect(rows.find((k) => k.kid === before['RS256:next'])).toMatchObject({
      status: 'active',
      activatedAt: clock.now(),
    });
    // The other families stay as they were.
    expect(rows.find((k) => k.kid === before['ES256:active'])!.status).toBe('active');
    expect(security.append).toHaveBeenCalledWith(
      manager,
      expect.objectContaining({
        type: SecurityEventTypes.signingKeyRotated,
        data: expect.objectContaining({ alg: 'RS256', actor: 'operator' }),
      }),
    );
    expect(cluster.reload).toHaveBeenCalledTimes(1);
  });

  it('refuses with rotation_in_progress when another rotation made the next key in the meantime', async () => {
    const { keys, rows, repository, clock } = setUp();
    await keys.ensureKeys();
    clock.advance(LEAD_SECONDS * 1000);
    // The wait saw a next key old enough; inside the lock another replica's rotation has just replaced it.
    repository.nextOf.mockImplementationOnce(async () => ({
      ...rows.find((k) => k.status === 'next')!,
      createdAt: clock.now(),
    }));
    await expect(keys.rotate(null, 'ES256')).rejects.toMatchObject({ code: 'rotation_in_progress', status: 409 });
  });

  it('prunes the keys retired longer ago than the retention, by the clock', async () => {
    const { keys, repository, cluster } = setUp();
    await expect(keys.pruneRetired(3600)).resolves.toBe(0);
    expect(repository.deleteRetiredBefore).toHaveBeenCalledWith(new Date(START - 3_600_000));
    expect(cluster.announce).not.toHaveBeenCalled();
    repository.deleteRetiredBefore.mockResolvedValueOnce(2);
    await expect(keys.pruneRetired(3600)).resolves.toBe(2);
    expect(cluster.announce).toHaveBeenCalledTimes(1);
  });
});
