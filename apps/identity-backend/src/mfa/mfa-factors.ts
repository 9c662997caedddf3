import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Keyring, sha256Hex } from '@platform/crypto';
import { randomInt } from 'node:crypto';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { KEYRING } from '../common/tokens';
import { MfaFactor } from './mfa-factor.entity';
import { RecoveryCode } from './recovery-code.entity';

const RECOVERY_CODE_COUNT = 10;

/** The methods a user can complete a sign-in with: a confirmed TOTP factor, or its recovery codes. */
export const mfaMethodsFor = (hasConfirmedTotp: boolean): string[] =>
  hasConfirmedTotp ? ['totp', 'recovery_code'] : [];

/** Storage of second factors: sealed TOTP seeds, single-use steps, hashed recovery codes. */
@Injectable()
export class MfaFactors {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(KEYRING) private readonly keyring: Keyring,
  ) {}

  /** The methods a user can complete a sign-in with (empty: no second factor enrolled). */
  async methodsOf(userId: string): Promise<string[]> {
    return mfaMethodsFor((await this.confirmedTotp(userId)) !== null);
  }

  confirmedTotp(userId: string, manager: EntityManager = this.dataSource.manager): Promise<MfaFactor | null> {
    return this.totpFactor(userId, manager).then((factor) => (factor?.confirmedAt ? factor : null));
  }

  totpFactor(userId: string, manager: EntityManager = this.dataSource.manager): Promise<MfaFactor | null> {
    return manager.findOneBy(MfaFactor, { userId, type: 'totp' });
  }

  seal(userId: string, secret: string): string {
    return this.keyring.seal(secret, `mfa:${userId}`);
  }

  openSecret(factor: MfaFactor): string {
    return this.keyring.open(factor.secretSealed, `mfa:${factor.userId}`);
  }

  /** Whether a TOTP factor is confirmed (since when) and how many recovery codes are left: no secret. */
  async summaryOf(userId: string): Promise<{ enrolledAt: Date | null; recoveryCodesLeft: number }> {
    const [factor, recoveryCodesLeft] = await Promise.all([
      this.dataSource.manager.findOneBy(MfaFactor, { userId }),
      this.dataSource.manager.countBy(RecoveryCode, { userId, usedAt: IsNull() }),
    ]);
    return { enrolledAt: factor?.confirmedAt ?? null, recoveryCodesLeft };
  }

  /** A new, unconfirmed TOTP factor in place of an unconfirmed one (a restarted enrolment). */
  async startTotp(manager: EntityManager, userId: string, secret: string, replacing: MfaFactor | null): Promise<void> {
    if (replacing) await manager.delete(MfaFactor, { id: replacing.id, userId });
    await manager.insert(MfaFactor, {
      userId,
      type: 'totp',
      secretSealed: this.seal(userId, secret),
      lastUsedStep: '0',
    });
  }

  async confirmTotp(manager: EntityManager, factor: MfaFactor, at: Date): Promise<void> {
    await manager.update(MfaFactor, { id: factor.id, userId: factor.userId }, { confirmedAt: at });
  }

  /** Claims a time step for the factor; false if that step (or a later one) was already used. */
  async claimStep(manager: EntityManager, factorId: string, step: number): Promise<boolean> {
    const result = await manager.query(
      'UPDATE mfa_factors SET last_used_step = $2 WHERE id = $1 AND last_used_step < $2',
      [factorId, step],
    );
    return result[1] === 1;
  }

  /** Replaces the user's recovery codes; returns the new ones in clear text, to be shown once. */
  async issueRecoveryCodes(manager: EntityManager, userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await manager.delete(RecoveryCode, { userId });
    await manager.insert(
      RecoveryCode,
      codes.map((code) => ({ userId, codeHash: sha256Hex(normalizeRecoveryCode(code)) })),
    );
    return codes;
  }

  /** Uses up a recovery code; false if it does not exist or was used. */
  async consumeRecoveryCode(manager: EntityManager, userId: string, code: string): Promise<boolean> {
    const result = await manager.query(
      'UPDATE recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL',
      [userId, sha256Hex(normalizeRecoveryCode(code))],
    );
    return result[1] === 1;
  }

  async remove(manager: EntityManager, userId: string): Promise<boolean> {
    await manager.delete(RecoveryCode, { userId });
    const result = await manager.delete(MfaFactor, { userId });
    return (result.affected ?? 0) > 0;
  }
}

// 32 symbols without look-alikes (no 0/o, 1/l/i): 5 bits each.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** 16 symbols in groups of four, e.g. `k3f9-x2pq-7mzt-ab4c`: easy to type, about 79 bits. */
function newRecoveryCode(): string {
  const symbols = Array.from({ length: 16 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
  return symbols.match(/.{4}/g)!.join('-');
}

export const normalizeRecoveryCode = (code: string): string => code.toLowerCase().replace(/[^a-z0-9]/g, '');
