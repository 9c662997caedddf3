import { serviceDataSourceOptions } from '@platform/database';
import { CreateOutboxMessages1764000001000, OutboxMessage } from '@platform/events';
import { AuditEntry } from '../audit/audit-entry.entity';
import { RateLimitCounter } from '../common/rate-limit-counter.entity';
import { PasswordHistory } from '../credentials/password-history.entity';
import { EmailToken } from '../email-flows/email-token.entity';
import { Group, GroupMember, GroupRole, GroupSubgroup } from '../groups/group.entity';
import { ExternalIdentity } from '../idps/external-identity.entity';
import { IdentityProvider } from '../idps/identity-provider.entity';
import { Impersonation } from '../impersonation/impersonation.entity';
import { MfaFactor } from '../mfa/mfa-factor.entity';
import { RecoveryCode } from '../mfa/recovery-code.entity';
import { Passkey, PasskeyChallenge } from '../passkeys/passkey.entity';
import { Role } from '../roles/role.entity';
import { UserRole } from '../roles/user-role.entity';
import { Tenant } from '../tenants/tenant.entity';
import { User } from '../users/user.entity';
import { CreateTenants1764000000000 } from './migrations/1764000000000-create-tenants';
import { CreateUsersAndRoles1764000002000 } from './migrations/1764000002000-create-users-and-roles';
import { AddLoginThrottling1764000003000 } from './migrations/1764000003000-add-login-throttling';
import { CreateMfa1764000004000 } from './migrations/1764000004000-create-mfa';
import { CreateEmailTokens1764000005000 } from './migrations/1764000005000-create-email-tokens';
import { CreateAuditLog1764000006000 } from './migrations/1764000006000-create-audit-log';
import { CreateIdentityProviders1764000007000 } from './migrations/1764000007000-create-identity-providers';
import { CreateRateLimitCounters1764000008000 } from './migrations/1764000008000-create-rate-limit-counters';
import { CreateGroups1764000011600 } from './migrations/1764000011600-create-groups';
import { CreateMailOutbox1764000009500 } from './migrations/1764000009500-create-mail-outbox';
import { CreatePasskeys1764000012800 } from './migrations/1764000012800-create-passkeys';
import { TenantAdminManagesApplications1764000013700 } from './migrations/1764000013700-tenant-admin-manages-applications';
import { CreateImpersonations1764000016100 } from './migrations/1764000016100-create-impersonations';
import { IndexAuditLogByActor1764000016600 } from './migrations/1764000016600-index-audit-log-by-actor';

export const identityEntities = [
  Tenant,
  User,
  PasswordHistory,
  Role,
  UserRole,
  Group,
  GroupMember,
  GroupRole,
  GroupSubgroup,
  RateLimitCounter,
  MfaFactor,
  RecoveryCode,
  Passkey,
  PasskeyChallenge,
  EmailToken,
  AuditEntry,
  IdentityProvider,
  ExternalIdentity,
  Impersonation,
  OutboxMessage,
];
export const identityMigrations = [
  CreateTenants1764000000000,
  CreateOutboxMessages1764000001000,
  CreateUsersAndRoles1764000002000,
  AddLoginThrottling1764000003000,
  CreateMfa1764000004000,
  CreateEmailTokens1764000005000,
  CreateAuditLog1764000006000,
  CreateIdentityProviders1764000007000,
  CreateRateLimitCounters1764000008000,
  CreateGroups1764000011600,
  CreateMailOutbox1764000009500,
  CreatePasskeys1764000012800,
  TenantAdminManagesApplications1764000013700,
  CreateImpersonations1764000016100,
  IndexAuditLogByActor1764000016600,
];

export const identityDataSourceOptions = serviceDataSourceOptions({
  entities: identityEntities,
  migrations: identityMigrations,
});
