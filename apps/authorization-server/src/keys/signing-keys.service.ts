import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Keyring } from '@platform/crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { KEYRING } from '../tokens';
import { SigningKey } from './signing-key.entity';

const KEY_LOCK_ID = 7_340_301;

/** Signing keys at rest (sealed) and the JWK sets the provider signs with and publishes. */
@Injectable()
export class SigningKeys {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(KEYRING) private readonly keyring: Keyring,
  ) {}

  /** First start: create the active key. Replicas starting together create exactly one. */
  async ensureActiveKey(alg: SigningKey['alg'] = 'ES256'): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK_ID]);
      if (await manager.existsBy(SigningKey, { status: 'active' })) return;
      const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
      const kid = randomUUID();
      const privateJwk = { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' };
      await manager.insert(SigningKey, {
        kid,
        alg,
        status: 'active',
        privateJwkSealed: this.keyring.seal(JSON.stringify(privateJwk), `signing-key:${kid}`),
        publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
        activatedAt: new Date(),
      });
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
