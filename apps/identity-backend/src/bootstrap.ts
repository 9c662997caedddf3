import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomToken } from '@platform/crypto';
import { DataSource } from 'typeorm';
import { IDENTITY_CONFIG } from './common/tokens';
import type { IdentityBackendConfig } from './config';
import { ChangeUserRolesCommand } from './roles/commands/role.commands';
import { Role } from './roles/role.entity';
import { CreateTenantCommand } from './tenants/commands/create-tenant.command';
import { OperatorsTenant, PLATFORM_ADMIN_ROLE, PLATFORM_ADMIN_ROLE_PERMISSIONS } from './tenants/operators-tenant';
import { Tenant } from './tenants/tenant.entity';
import { CreateUserCommand } from './users/commands/create-user.command';

const BOOTSTRAP_LOCK_ID = 7_340_401;

/**
 * First start of an empty directory: a `default` tenant and its administrator (role
 * tenant-admin) with a temporary password that must be changed at first sign-in. The
 * password comes from BOOTSTRAP_ADMIN_PASSWORD or is generated and logged once.
 * Every start (older directories included): the operators' tenant (PLATFORM_OPERATORS_TENANT) with
 * its built-in platform-admin role and, when the tenant is new, its first platform administrator,
 * the same way (BOOTSTRAP_OPERATOR_EMAIL, BOOTSTRAP_OPERATOR_PASSWORD).
 */
@Injectable()
export class IdentityBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly commands: CommandBus,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityBackendConfig,
    private readonly operators: OperatorsTenant,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // Session lock: replicas starting together bootstrap once.
      await runner.query('SELECT pg_advisory_lock($1)', [BOOTSTRAP_LOCK_ID]);
      const empty = (await this.dataSource.manager.count(Tenant)) === 0;
      if (empty && this.config.BOOTSTRAP_DEFAULT_TENANT) await this.createDefaultTenant();
      await this.ensureOperatorsTenant();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [BOOTSTRAP_LOCK_ID]).catch(() => undefined);
      await runner.release();
    }
  }

  private async createDefaultTenant(): Promise<void> {
    const tenant = await this.commands.execute(new CreateTenantCommand('default', 'Default'));
    await this.createAdministrator(tenant, 'tenant-admin', 'administrator', {
      email: this.config.BOOTSTRAP_ADMIN_EMAIL,
      password: this.config.BOOTSTRAP_ADMIN_PASSWORD,
      passwordVariable: 'BOOTSTRAP_ADMIN_PASSWORD',
    });
  }

  private async ensureOperatorsTenant(): Promise<void> {
    const slug = this.operators.slug;
    const existing = await this.dataSource.manager.findOneBy(Tenant, { slug });
    const tenant = existing ?? (await this.commands.execute(new CreateTenantCommand(slug, 'Platform operators')));
    // Written here, never through the role commands: they refuse reserved permissions in every role.
    // Built in: its permissions are the platform's definition, restored at every start.
    const role = await this.dataSource.manager.findOneBy(Role, { tenantId: tenant.id, name: PLATFORM_ADMIN_ROLE });
    if (!role) {
      await this.dataSource.manager.insert(Role, {
        tenantId: tenant.id,
        name: PLATFORM_ADMIN_ROLE,
        description: 'Platform administrator: every tenant, signing keys, APIs, platform clients',
        permissions: PLATFORM_ADMIN_ROLE_PERMISSIONS,
      });
    } else if (role.permissions.join(' ') !== PLATFORM_ADMIN_ROLE_PERMISSIONS.join(' ')) {
      await this.dataSource.manager.update(Role, { id: role.id }, { permissions: PLATFORM_ADMIN_ROLE_PERMISSIONS });
    }
    if (existing) return;
    await this.createAdministrator(tenant, PLATFORM_ADMIN_ROLE, 'platform administrator', {
      email: this.config.BOOTSTRAP_OPERATOR_EMAIL,
      password: this.config.BOOTSTRAP_OPERATOR_PASSWORD,
      passwordVariable: 'BOOTSTRAP_OPERATOR_PASSWORD',
    });
  }

  /** A tenant's first user with a temporary password, logged once unless it came from the environment. */
  private async createAdministrator(
    tenant: Tenant,
    roleName: string,
    what: string,
    account: { email: string; password?: string; passwordVariable: string },
  ): Promise<void> {
    const password = account.password ?? randomToken(18);
    const admin = await this.commands.execute(
      new CreateUserCommand({
        tenantId: tenant.id,
        email: account.email,
        password,
        temporaryPassword: true,
        emailVerified: true,
        origin: 'admin',
        actor: null,
      }),
    );
    const role = await this.dataSource.manager.findOneByOrFail(Role, { tenantId: tenant.id, name: roleName });
    await this.commands.execute(new ChangeUserRolesCommand(tenant.id, admin.id, [role.id], [], null, true));
    this.logger.warn(
      account.password
        ? `created tenant "${tenant.slug}" and ${what} ${admin.email} (password from ${account.passwordVariable})`
        : `created tenant "${tenant.slug}" and ${what} ${admin.email}; temporary password, shown only now: ${password}`,
    );
  }
}
