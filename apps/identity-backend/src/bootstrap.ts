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
import { Tenant } from './tenants/tenant.entity';
import { CreateUserCommand } from './users/commands/create-user.command';

const BOOTSTRAP_LOCK_ID = 7_340_401;

/**
 * First start of an empty directory: a `default` tenant and its administrator (role
 * tenant-admin) with a temporary password that must be changed at first sign-in. The
 * password comes from BOOTSTRAP_ADMIN_PASSWORD or is generated and logged once.
 */
@Injectable()
export class IdentityBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly commands: CommandBus,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityBackendConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.BOOTSTRAP_DEFAULT_TENANT) return;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // Session lock: replicas starting together bootstrap once.
      await runner.query('SELECT pg_advisory_lock($1)', [BOOTSTRAP_LOCK_ID]);
      if ((await this.dataSource.manager.count(Tenant)) > 0) return;
      await this.createDefaultTenant();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [BOOTSTRAP_LOCK_ID]).catch(() => undefined);
      await runner.release();
    }
  }

  private async createDefaultTenant(): Promise<void> {
    const tenant = await this.commands.execute(new CreateTenantCommand('default', 'Default'));
    const password = this.config.BOOTSTRAP_ADMIN_PASSWORD ?? randomToken(18);
    const admin = await this.commands.execute(
      new CreateUserCommand({
        tenantId: tenant.id,
        email: this.config.BOOTSTRAP_ADMIN_EMAIL,
        password,
        temporaryPassword: true,
        emailVerified: true,
        origin: 'admin',
        actor: null,
      }),
    );
    const role = await this.dataSource.manager.findOneByOrFail(Role, { tenantId: tenant.id, name: 'tenant-admin' });
    await this.commands.execute(new ChangeUserRolesCommand(tenant.id, admin.id, [role.id], [], null));
    this.logger.warn(
      this.config.BOOTSTRAP_ADMIN_PASSWORD
        ? `created tenant "default" and administrator ${admin.email} (password from BOOTSTRAP_ADMIN_PASSWORD)`
        : `created tenant "default" and administrator ${admin.email}; temporary password, shown only now: ${password}`,
    );
  }
}
