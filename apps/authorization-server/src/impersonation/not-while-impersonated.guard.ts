import { applyDecorators, type CanActivate, type ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import { SecurityEventTypes } from '@platform/contracts';
import { principalOf } from '@platform/resource-server';
import { SecurityEvents } from '../events/security-events';
import { ImpersonationError } from './impersonation-errors';

/** The administrator a token acts on behalf of its subject for (RFC 8693 `act.sub`), or null. */
export function actorOf(claims: Record<string, unknown> | undefined): string | null {
  const act = claims?.act as { sub?: unknown } | undefined;
  return act && typeof act === 'object' && typeof act.sub === 'string' ? act.sub : null;
}

/** Refuses (403 impersonation_forbidden) and records a self-service action attempted by an administrator acting as the user. */
@Injectable()
export class NotWhileImpersonatedGuard implements CanActivate {
  constructor(private readonly security: SecurityEvents) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<{ path?: string }>();
    const principal = principalOf(req);
    const actor = actorOf(principal?.claims);
    if (!principal || !actor) return true;
    await this.security.record({
      type: SecurityEventTypes.impersonationActionRefused,
      subject: principal.subject,
      tenantId: principal.tenantId,
      data: { userId: principal.subject, actor, action: req.path ?? 'self-service' },
    });
    throw new ImpersonationError(
      'impersonation_forbidden',
      "Not while acting on behalf of the user: it is the user's own",
    );
  }
}

export const NotWhileImpersonated = () =>
  applyDecorators(
    UseGuards(NotWhileImpersonatedGuard),
    ApiForbiddenResponse({ description: '`impersonation_forbidden`: an administrator acting as the user' }),
  );
