import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { affectedRows } from '@platform/database';
import { DataSource, type EntityManager, In } from 'typeorm';
import { SigningKey, type SigningAlgorithm } from './signing-key.entity';

/** Serializes every change of the key set across replicas (a transaction-scoped advisory lock). */
const KEY_LOCK_ID = 7_340_301;

/**
 * Signing keys at rest. Changes of the key set run in `changeKeys`, one at a time across the
 * cluster; the methods taking an EntityManager belong inside it.
 */
@Injectable()
export class SigningKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  changeKeys<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK_ID]);
      return work(manager);
    });
  }

  /** The active and next keys (of the given families, default all). */
  current(manager: EntityManager = this.dataSource.manager, algs?: readonly SigningAlgorithm[]): Promise<SigningKey[]> {
    return manager.findBy(SigningKey, { status: In(['active', 'next']), ...(algs ? { alg: In([...algs]) } : {}) });
  }

  nextOf(manager: EntityManager, alg: SigningAlgorithm): Promise<SigningKey | null> {
    return manager.findOneBy(SigningKey, { status: 'next', alg });
  }

  async activate(manager: EntityManager, kid: string, at: Date): Promise<void> {
    await manager.update(SigningKey, { kid }, { status: 'active', activatedAt: at });
  }

  async retireActive(manager: EntityManager, alg: SigningAlgorithm, at: Date): Promise<void> {
    await manager.update(SigningKey, { status: 'active', alg }, { status: 'retired', retiredAt: at });
  }

  save(manager: EntityManager, keys: SigningKey[]): Promise<SigningKey[]> {
    return manager.save(SigningKey, keys);
  }

  async retiredKids(manager: EntityManager): Promise<string[]> {
    return (await manager.findBy(SigningKey, { status: 'retired' })).map((key) => key.kid);
  }

  /** Removes the keys retired before `before`; how many. */
  async deleteRetiredBefore(before: Date): Promise<number> {
    const result = await this.dataSource.query(
      `DELETE FROM signing_keys WHERE status = 'retired' AND retired_at < $1`,
      [before],
    );
    return affectedRows(result);
  }

  /** The keys the JWKS publishes (active, next, retired), newest first. */
  published(): Promise<SigningKey[]> {
    return this.dataSource.manager.find(SigningKey, {
      where: { status: In(['active', 'next', 'retired']) },
      order: { createdAt: 'DESC' },
    });
  }

  /** Every key, newest first. */
  list(): Promise<SigningKey[]> {
    return this.dataSource.manager.find(SigningKey, { order: { createdAt: 'DESC' } });
  }
}
