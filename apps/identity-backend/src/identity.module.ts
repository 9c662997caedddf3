import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { IdentityBackendConfig } from './config';
import { VerifyCredentialsHandler } from './credentials/commands/verify-credentials.command';
import { IpThrottle } from './credentials/ip-throttle';
import { PasswordHasher } from './credentials/password-hasher';
import { IDENTITY_CONFIG } from './common/tokens';
import { InternalController } from './internal/internal.controller';
import { PasswordService } from './credentials/password.service';
import { EventRecorder } from './events/event-recorder';
import { OutboxEventRecorder } from './events/outbox-event-recorder';
import {
  ChangeUserRolesHandler,
  CreateRoleHandler,
  DeleteRoleHandler,
  UpdateRoleHandler,
} from './roles/commands/role.commands';
import {
  GetRoleHandler,
  ListRoleMembersHandler,
  ListRolesHandler,
  UserRolesHandler,
} from './roles/queries/role.queries';
import { RolesController } from './roles/roles.controller';
import { RolesRepository } from './roles/roles.repository';
import { CreateTenantHandler } from './tenants/commands/create-tenant.command';
import { UpdateTenantHandler } from './tenants/commands/update-tenant.command';
import { GetTenantHandler, ListTenantsHandler } from './tenants/queries/tenant.queries';
import { TenantsController } from './tenants/tenants.controller';
import { TenantsRepository } from './tenants/tenants.repository';
import { ChangeUserStatusHandler } from './users/commands/change-user-status.command';
import { CreateUserHandler } from './users/commands/create-user.command';
import { RegisterUserHandler } from './users/commands/register-user.command';
import { UpdateUserHandler } from './users/commands/update-user.command';
import { VerifyEmailHandler } from './users/commands/verify-email.command';
import { GetUserHandler, ListUsersHandler } from './users/queries/user.queries';
import { RegistrationsController } from './users/registrations.controller';
import { UsersController } from './users/users.controller';
import { UsersRepository } from './users/users.repository';

const commandHandlers = [
  CreateTenantHandler,
  UpdateTenantHandler,
  CreateUserHandler,
  RegisterUserHandler,
  UpdateUserHandler,
  ChangeUserStatusHandler,
  VerifyEmailHandler,
  CreateRoleHandler,
  UpdateRoleHandler,
  DeleteRoleHandler,
  ChangeUserRolesHandler,
  VerifyCredentialsHandler,
];
const queryHandlers = [
  GetTenantHandler,
  ListTenantsHandler,
  GetUserHandler,
  ListUsersHandler,
  GetRoleHandler,
  ListRolesHandler,
  ListRoleMembersHandler,
  UserRolesHandler,
];

/** The user directory: tenants, users, credentials and roles. */
@Module({})
export class IdentityModule {
  static forRoot(config: IdentityBackendConfig): DynamicModule {
    return {
      module: IdentityModule,
      imports: [CqrsModule.forRoot()],
      controllers: [TenantsController, UsersController, RegistrationsController, RolesController, InternalController],
      providers: [
        { provide: IDENTITY_CONFIG, useValue: config },
        { provide: PasswordHasher, useValue: new PasswordHasher(config.BCRYPT_COST) },
        IpThrottle,
        { provide: EventRecorder, useClass: OutboxEventRecorder },
        PasswordService,
        TenantsRepository,
        UsersRepository,
        RolesRepository,
        ...commandHandlers,
        ...queryHandlers,
      ],
    };
  }
}
