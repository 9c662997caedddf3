import { Inject, Injectable } from '@nestjs/common';
import type { Keyring } from '@platform/crypto';
import { Clock } from '@platform/runtime';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { ClusterConfig, ConfigTopic } from '../cluster/cluster-config';
import type { AuthorizationServerConfig } from '../config';
import { AUTHZ_CONFIG, KEYRING } from '../tokens';
import { SecurityEvents } from '../events/security-events';
import { SecurityEventTypes } from '@platform/contracts';
import { SigningKeyError, SigningKeyErrorCode } from './signing-key-errors';
import { SIGNING_ALGORITHMS, SigningKey, type SigningAlgorithm } from './signing-key.entity';
import { SigningKeysRepository } from './signing-keys.repository';

/** What a rotation did: the new active and next key of each family rotated, and every retired key. */
export interface RotationResult {
  keys: Partial<Record<SigningAlgorithm, { active: string; next: string }>>;
  retired: string[];
}

/** Signing keys at rest (sealed) and the JWK sets the provider signs with and publishes. */
@Injectable()
export class SigningKeys {
  constructor(
    private readonly repository: SigningKeysRepository,
    @Inject(KEYRING) private readonly keyring: Keyring,
    private readonly security: SecurityEvents,
    private readonly cluster: ClusterConfig,
    private readonly clock: Clock,
    @Inject(AUTHZ_CONFIG) private readonly config: Pick<AuthorizationServerConfig, 'SIGNING_KEY_PUBLISH_LEAD_SECONDS'>,
  ) {}

  /**
   * Every start: one active key per algorithm family, plus each family's next key already
   * published so that resource servers know it before it signs anything. Replicas starting
   * together create one set. A family missing entirely (a first start, or a database from before
   * there were families, holding only ES256) gets its active key at once: no token was ever
   * signed with that family, so no verifier can be holding a JWKS that lacks it, and verifiers
   * refetch /jwks when they meet an unknown kid.
   */
  async ensureKeys(): Promise<void> {
    await this.repository.changeKeys(async (manager) => {
      const current = await this.repository.current(manager);
      const created: SigningKey[] = [];
      for (const alg of SIGNING_ALGORITHMS) {
        const active = current.find((k) => k.alg === alg && k.status === 'active');
        const next = current.find((k) => k.alg === alg && k.status === 'next');
        if (active && next) continue;
        if (!active && next) {
          // Published since it was created (e.g. mid-way through an older single-family switch).
          await this.repository.activate(manager, next.kid, this.clock.now());
        } else if (!active) {
          created.push(await this.newKey('active', alg));
        }
        created.push(await this.newKey('next', alg));
      }
      if (created.length) {
        await this.repository.save(manager, created);
        // Replicas already running (a rolling upgrade) publish the new families too.
        await this.cluster.announce(ConfigTopic.signingKeys, manager);
      }
    });
  }

  /**
   * Per family (all of them, or only `alg`): next -> active -> retired, and a fresh next. The
   * retired key stays published until every token it signed has expired; the new active one
   * has been published since the previous rotation, so no verifier meets an unknown kid.
   */
  async rotate(actor: string | null = null, only?: SigningAlgorithm): Promise<RotationResult> {
    const families = only ? [only] : SIGNING_ALGORITHMS;
    await this.untilNextKeysPublished(families);
    const result = await this.repository.changeKeys(async (manager) => {
      const keys: RotationResult['keys'] = {};
      for (const alg of families) {
        const next = await this.repository.nextOf(manager, alg);
        if (!next || !this.publishedLongEnough(next)) {
          // Another rotation got here first: its next key may not be on every replica's /jwks yet.
          throw new SigningKeyError(
            SigningKeyErrorCode.RotationInProgress,
            'Another rotation just happened; retry in a few seconds',
          );
        }
        const now = this.clock.now();
        await this.repository.retireActive(manager, alg, now);
        await this.repository.activate(manager, next.kid, now);
        const upcoming = await this.newKey('next', alg);
        await this.repository.save(manager, [upcoming]);
        keys[alg] = { active: next.kid, next: upcoming.kid };
      }
      const retired = await this.repository.retiredKids(manager);
      for (const [alg, family] of Object.entries(keys)) {
        await this.security.append(manager, {
          type: SecurityEventTypes.signingKeyRotated,
          subject: 'signing-keys',
          tenantId: null,
          data: { ...family, alg, retired, actor },
        });
      }
      await this.cluster.announce(ConfigTopic.signingKeys, manager);
      return { keys, retired };
    });
    await this.cluster.reload(ConfigTopic.signingKeys);
    return result;
  }

  /**
   * Every replica must publish a next key before any replica signs with it (DESIGN §2): they all
   * reload within a second of the announcement that created it, and at the latest at their next
   * version check, so a next key signs only once it has been published for the lead time. A
   * rotation asked for sooner (e.g. right after a start or another rotation) waits for that.
   */
  private async untilNextKeysPublished(families: readonly SigningAlgorithm[]): Promise<void> {
    const next = (await this.repository.current(undefined, families)).filter((key) => key.status === 'next');
    const now = this.clock.nowMs();
    const waitMs = Math.max(0, ...next.map((key) => key.createdAt.getTime() + this.leadMs() - now));
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  }

  private publishedLongEnough(key: SigningKey): boolean {
    // A little slack for the database's clock against ours.
    return key.createdAt.getTime() + this.leadMs() - 250 <= this.clock.nowMs();
  }

  private leadMs(): number {
    return this.config.SIGNING_KEY_PUBLISH_LEAD_SECONDS * 1000;
  }

  /** Retired keys whose every token has expired leave the JWKS (and the database). */
  async pruneRetired(retentionSeconds: number): Promise<number> {
    const pruned = await this.repository.deleteRetiredBefore(new Date(this.clock.nowMs() - retentionSeconds * 1000));
    // Every replica stops publishing them.
    if (pruned > 0) await this.cluster.announce(ConfigTopic.signingKeys);
    return pruned;
  }

  list(): Promise<SigningKey[]> {
    return this.repository.list();
  }

  private async newKey(status: SigningKey['status'], alg: SigningAlgorithm): Promise<SigningKey> {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
    const kid = randomUUID();
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' };
    return Object.assign(new SigningKey(), {
      kid,
      alg,
      status,
      privateJwkSealed: this.keyring.seal(JSON.stringify(privateJwk), `signing-key:${kid}`),
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
      activatedAt: status === 'active' ? this.clock.now() : null,
      retiredAt: null,
    });
  }

  /**
   * Private JWKs for the provider: the active keys first (the provider signs with the first key of
   * the wanted alg), ES256's first of all (our own service tokens use it), then next and retired
   * ones (published only).
   */
  async privateJwks(): Promise<JWK[]> {
    const keys = await this.repository.published();
    const order = { active: 0, next: 1, retired: 2 };
    const family = (key: SigningKey) => SIGNING_ALGORITHMS.indexOf(key.alg);
    return keys
      .sort((a, b) => order[a.status] - order[b.status] || family(a) - family(b))
      .map((key) => JSON.parse(this.keyring.open(key.privateJwkSealed, `signing-key:${key.kid}`)) as JWK);
  }
}
