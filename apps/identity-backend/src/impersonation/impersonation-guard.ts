import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import { principalOf, type Principal } from '@platform/resource-server';
import { DataSource } from 'typeorm';
import { requestContextOf, withRequestContext } from '../common/request-context';
import { EventRecorder } from '../events/event-recorder';
import { EventTypes, userEvent } from '../events/identity-events';
import { ImpersonationError, ImpersonationErrorCode } from './impersonation-errors';

/** The administrator a token acts for the subject on behalf of (RFC 8693 `act.sub`), or null. */
export function actorOf(principal: Pick<Principal, 'claims'> | undefined): string | null {
  const act = principal?.claims.act as { sub?: unknown } | undefined;
  return act && typeof act === 'object' && typeof act.sub === 'string' ? act.sub : null;
}

const REFUSED_ACTION = 'impersonation:refused-action';

/**
 * Refuses a self-service action to an impersonated session and records the attempt: an
 * administrator acting as a user never changes how that user signs in or deletes them.
 */
@Injectable()
export class NotWhileImpersonatedGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventRecorder,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Parameters<typeof requestContextOf>[0]>();
    const principal = principalOf(req);
    const actor = actorOf(principal);
    if (!principal || !actor) return true;
    const action = this.reflector.get<string>(REFUSED_ACTION, context.getHandler()) ?? 'self-service';
    if (principal.tenantId) {
      // Guards run before the interceptor that records who acts: the trail names the administrator.
      await withRequestContext(requestContextOf(req), () =>
        this.dataSource.transaction((manager) =>
          this.events.record(manager, [
            userEvent(
              EventTypes.userImpersonationActionRefused,
              { id: principal.subject, tenantId: principal.tenantId! },
              { actor, action },
            ),
          ]),
        ),
      );
    }
    throw new ImpersonationError(
      ImpersonationErrorCode.Forbidden,
      `Not while acting on behalf of the user: ${action} is the user's own`,
    );
  }
}

/** On a self-service route the user alone may take (password, MFA, passkeys, deletion): refused when impersonated. */
export const NotWhileImpersonated = (action: string) =>
  applyDecorators(
    SetMetadata(REFUSED_ACTION, action),
    UseGuards(NotWhileImpersonatedGuard),
    ApiForbiddenResponse({ description: '`impersonation_forbidden`: an administrator acting as the user' }),
  );
