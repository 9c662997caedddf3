import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { canonicalEmail } from '../common/email';
import { MfaFactor } from '../mfa/mfa-factor.entity';
import { Passkey } from '../passkeys/passkey.entity';
import { holdsRole, memberOfCte } from '../roles/roles.repository';
import { Tenant } from '../tenants/tenant.entity';
import { User } from '../users/user.entity';

/** What a password sign-in needs to know before it checks the password. */
export interface SignInSubject {
  /** The tenant asked for (by id or slug), whatever its status; null when none is. */
  tenant: Tenant | null;
  /** The tenant's user with that login (email or username), whatever the tenant's status. */
  user: User | null;
  /** Whether that user completes sign-ins with a confirmed TOTP factor. */
  hasConfirmedTotp: boolean;
  /** Whether that user holds a passkey (offered as a second factor). */
  hasPasskey: boolean;
  /**
   * Whether that user administers the tenant (a `*:write` permission through their roles, directly or
   * through a group): the tenant policy `passkeys: required-for-admins` applies to them. Only looked
   * up under that policy; false otherwise.
   */
  isAdmin: boolean;
}

/**
 * `*:write` held through the user's own roles or those of their groups (nested too, as
 * RolesRepository.effectiveAuthority walks them), evaluated only when the tenant's policy asks.
 */
const IS_ADMIN = `CASE WHEN u.id IS NOT NULL AND t.settings->>'passkeys' = 'required-for-admins' THEN EXISTS (
    ${memberOfCte('t.id', 'u.id')}
    SELECT 1 FROM roles r
     WHERE r.tenant_id = t.id
       AND EXISTS (SELECT 1 FROM unnest(r.permissions) AS perm WHERE perm LIKE '%:write')
       AND ${holdsRole('u.id')}
  ) ELSE false END`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The tenant row with the sign-in's user and TOTP factor mapped onto it by the one query. */
type TenantWithSubject = Tenant & {
  signInUser?: User | null;
  signInTotp?: MfaFactor | null;
  signInPasskey?: Passkey | null;
};

/** The credential check's reads and writes (VerifyCredentialsHandler): one query before the hash, one after. */
@Injectable()
export class SignInRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Tenant, user, second factor and admin status of a sign-in in one round trip (each was a query of its own). */
  async findSubject(tenantRef: string, login: string): Promise<SignInSubject> {
    const email = canonicalEmail(login);
    const userMatch = email ? 'u.email_canonical = :login' : 'u.username_canonical = :login';
    const { entities, raw } = await this.dataSource.manager
      .createQueryBuilder(Tenant, 't')
      .leftJoinAndMapOne('t.signInUser', User, 'u', `u.tenant_id = t.id AND ${userMatch}`, {
        login: email ?? login.trim().toLowerCase(),
      })
      .leftJoinAndMapOne(
        't.signInTotp',
        MfaFactor,
        'f',
        "f.user_id = u.id AND f.type = 'totp' AND f.confirmed_at IS NOT NULL",
      )
      .leftJoinAndMapOne('t.signInPasskey', Passkey, 'p', 'p.user_id = u.id AND p.tenant_id = t.id')
      .addSelect(IS_ADMIN, 'sign_in_admin')
      .where(UUID.test(tenantRef) ? 't.id = :ref' : 't.slug = :ref', { ref: tenantRef })
      .getRawAndEntities<{ sign_in_admin: boolean | null }>();
    const row: TenantWithSubject | undefined = entities[0];
    if (!row) return { tenant: null, user: null, hasConfirmedTotp: false, hasPasskey: false, isAdmin: false };
    const { signInUser, signInTotp, signInPasskey, ...tenant } = row;
    return {
      tenant: Object.assign(new Tenant(), tenant),
      user: signInUser ?? null,
      hasConfirmedTotp: Boolean(signInTotp),
      hasPasskey: Boolean(signInPasskey),
      isAdmin: raw[0]?.sign_in_admin === true,
    };
  }

  /** A re-hash on login while a second factor is still pending (the failure streak stays until it succeeds). */
  async updatePasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.dataSource.query('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, passwordHash]);
  }
}
