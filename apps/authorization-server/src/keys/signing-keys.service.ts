import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Keyring } from '@platform/crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { KEYRING } from '../tokens';
import { SecurityEvents } from '../events/security-events';
import { SecurityEventTypes } from '@platform/contracts';
import { SigningKey } from './signing-key.entity';

const KEY_LOCK_ID = 7_340_301;

/** Signing keys at rest (sealed) and the JWK sets the provider signs with and publishes. */
@Injectable()
export class SigningKeys {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(KEYRING) private readonly keyring: Keyring,
    private readonly security: SecurityEvents,
  ) {}

  /**
   * First start: an active key, plus the next one already published so that resource
   * servers know it before it signs anything. Replicas starting together create one pair.
   */
  async ensureActiveKey(alg: SigningKey['alg'] = 'ES256'): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK_ID]);
      if (await manager.existsBy(SigningKey, { status: 'active' })) return;
      await manager.save(SigningKey, [await this.newKey('active', alg), await this.newKey('next', alg)]);
    });
  }

  /**
   * next -> active -> retired, and a fresh next. The retired key stays published until
   * every token it signed has expired; the new active one has been published since the
   * previous rotation, so no verifier meets an unknown kid.
   */
  async rotate(
    actor: string | null = null,
    alg: SigningKey['alg'] = 'ES256',
  ): Promise<{ active: string; next: string; retired: string[] }> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK_ID]);
      const next =
        (await manager.findOneBy(SigningKey, { status: 'next' })) ??
        (await manager.save(SigningKey, await this.newKey('next', alg)));
      await manager.update(SigningKey, { status: 'active' }, { status: 'retired', retiredAt: new Date() });
      await manager.update(SigningKey, { kid: next.kid }, { status: 'active', activatedAt: new Date() });
      const upcoming = await manager.save(SigningKey, await this.newKey('next', alg));
      const retired = await manager.findBy(SigningKey, { status: 'retired' });
      const result = { active: next.kid, next: upcoming.kid, retired: retired.map((k) => k.kid) };
      await this.security.append(manager, {
        type: SecurityEventTypes.signingKeyRotated,
        subject: 'signing-keys',
        tenantId: null,
        data: { ...result, actor },
      });
      return result;
    });
  }

  /** Retired keys whose every token has expired leave the JWKS (and the database). */
  async pruneRetired(retentionSeconds: number): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM signing_keys WHERE status = 'retired' AND retired_at < now() - make_interval(secs => $1)`,
      [retentionSeconds],
    );
  }

  list(): Promise<SigningKey[]> {
    return this.dataSource.manager.find(SigningKey, { order: { createdAt: 'DESC' } });
  }

  private async newKey(status: SigningKey['status'], alg: SigningKey['alg']): Promise<SigningKey> {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
    const kid = randomUUID();
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' };
    return Object.assign(new SigningKey(), {
      kid,
      alg,
      status,
      privateJwkSealed: this.keyring.seal(JSON.stringify(privateJwk), `signing-key:${kid}`),
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
      activatedAt: status === 'active' ? new Date() : null,
      retiredAt: null,
    });
  }

  /** Private JWKs for the provider: the active key first (it signs), then next and retired ones (published). */
  async privateJwks(): Promise<JWK[]> {
    const keys = await this.dataSource.manager.find(SigningKey, {
      where: { status: In(['active', 'next', 'retired']) },
    });
    const order = { active: 0, next: 1, retired: 2 };
    return keys
      .sort((a, b) => order[a.status] - order[b.status])
      .map((key) => JSON.parse(this.keyring.open(key.privateJwkSealed, `signing-key:${key.kid}`)) as JWK);
  }
}
