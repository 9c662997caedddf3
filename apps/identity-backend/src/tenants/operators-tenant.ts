import { Inject, Injectable } from '@nestjs/common';
import { isReservedPermission, TENANT_AUTHZ_PERMISSIONS } from '@platform/contracts';
import { PLATFORM_ADMIN_PERMISSION } from '@platform/resource-server';
import type { EntityManager } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../common/identity-error';
import { IDENTITY_CONFIG } from '../common/tokens';
import type { IdentityBackendConfig } from '../config';
import type { Role } from '../roles/role.entity';
import { RolesRepository } from '../roles/roles.repository';
import type { UserClaims } from '../users/claims';
import { TenantsRepository } from './tenants.repository';

/** The built-in role of the operators' tenant that makes its holders platform administrators. */
export const PLATFORM_ADMIN_ROLE = 'platform-admin';
/**
 * What it holds: platform administration and the platform-wide families (signing keys, APIs),
 * plus every tenant permission, since routes check permissions (platform:admin widens the
 * tenant a request may act in, not what it may do there).
 */
export const PLATFORM_ADMIN_ROLE_PERMISSIONS = [
  PLATFORM_ADMIN_PERMISSION,
  'authz-keys:read',
  'authz-keys:write',
  'authz-apis:read',
  'authz-apis:write',
  'tenants:read',
  'tenants:write',
  'users:read',
  'users:write',
  // Operators may act as any user (impersonation, issue 16); existing operators' role got it in migration 1764000016100.
  'users:impersonate',
  'roles:read',
  'roles:write',
  'idps:read',
  'idps:write',
  'audit:read',
  ...TENANT_AUTHZ_PERMISSIONS,
];

/**
 * Human platform administrators (DESIGN §2): the operators' tenant (PLATFORM_OPERATORS_TENANT,
 * bootstrapped) and its built-in `platform-admin` role are the ONLY place a reserved permission is
 * held. Every other role stays refused them (role commands), a group never passes the role on
 * (group commands refuse roles holding reserved permissions), and only a platform administrator
 * gives or takes it, so neither a tenant admin elsewhere nor a helper the operators gave a tenant
 * role in their own tenant can become one.
 */
@Injectable()
export class OperatorsTenant {
  private cachedId?: string;

  constructor(
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityBackendConfig,
    private readonly tenants: TenantsRepository,
    private readonly roles: RolesRepository,
  ) {}

  get slug(): string {
    return this.config.PLATFORM_OPERATORS_TENANT;
  }

  /** The operators' tenant id, or null before the bootstrap created it. */
  async id(): Promise<string | null> {
    if (this.cachedId) return this.cachedId;
    const tenant = await this.tenants.findBySlug(this.slug);
    if (tenant) this.cachedId = tenant.id;
    return tenant?.id ?? null;
  }

  async isPlatformAdminRole(role: Pick<Role, 'tenantId' | 'name'>): Promise<boolean> {
    return role.name === PLATFORM_ADMIN_ROLE && role.tenantId === (await this.id());
  }

  /**
   * For ChangeUserRoles: the roles given or taken that are not the operators' platform-admin role
   * (the caller still refuses reserved permissions in those), after refusing to let anyone but a
   * platform administrator give or take that one.
   */
  async ordinaryRoles(roles: Role[], actorIsPlatformAdmin: boolean): Promise<Role[]> {
    const ordinary: Role[] = [];
    for (const role of roles) {
      if (!(await this.isPlatformAdminRole(role))) ordinary.push(role);
      else if (!actorIsPlatformAdmin) {
        throw new IdentityError(
          IdentityErrorCode.PlatformAdminRequired,
          `Only platform administrators give or take the ${PLATFORM_ADMIN_ROLE} role`,
        );
      }
    }
    return ordinary;
  }

  /** A token's claims with the reserved permissions of platform-admin, for a user who directly holds it. */
  async withPlatformPower(
    user: { id: string; tenantId: string },
    claims: UserClaims,
    manager?: EntityManager,
  ): Promise<UserClaims> {
    if (user.tenantId !== (await this.id())) return claims;
    // Direct assignments only: the role never reaches anyone through a group.
    const direct = await this.roles.rolesOfUser(user.tenantId, user.id, manager);
    const role = direct.find((r) => r.name === PLATFORM_ADMIN_ROLE);
    if (!role) return claims;
    const reserved = role.permissions.filter(isReservedPermission);
    return { ...claims, permissions: [...new Set([...claims.permissions, ...reserved])].sort() };
  }
}
