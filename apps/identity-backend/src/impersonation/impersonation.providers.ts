import {
  EndImpersonationHandler,
  ExpireImpersonationsHandler,
  RedeemImpersonationHandler,
  StartImpersonationHandler,
} from './commands/impersonation.commands';
import { ImpersonationController } from './impersonation.controller';
import { ImpersonationExpiry } from './impersonation-expiry';
import { NotWhileImpersonatedGuard } from './impersonation-guard';
import { ImpersonationsRepository } from './impersonations.repository';

/** Impersonation (issue 16), as the identity module mounts it. */
export const IMPERSONATION_CONTROLLERS = [ImpersonationController];
export const IMPERSONATION_PROVIDERS = [
  ImpersonationsRepository,
  NotWhileImpersonatedGuard,
  ImpersonationExpiry,
  StartImpersonationHandler,
  RedeemImpersonationHandler,
  EndImpersonationHandler,
  ExpireImpersonationsHandler,
];
