import { AsyncLocalStorage } from 'node:async_hooks';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { principalOf } from '@platform/resource-server';
import type { Request } from 'express';
import type { Observable } from 'rxjs';

/** Who is acting and from where, for the audit trail of whatever the request changes. */
export interface RequestContext {
  actor: string | null;
  actorType: 'user' | 'client' | 'anonymous';
  clientId: string | null;
  ip: string | null;
  requestId: string | null;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const currentRequestContext = (): RequestContext | undefined => storage.getStore();

/**
 * Who acts in a request: the token's subject, or for an administrator acting as a user (RFC 8693
 * `act`, impersonation) the administrator, so the trail names the person who did it.
 */
export function requestContextOf(req: Request & { id?: string }): RequestContext {
  const principal = principalOf(req);
  const act = principal?.claims.act as { sub?: unknown } | undefined;
  const actor = typeof act?.sub === 'string' ? act.sub : (principal?.subject ?? null);
  return {
    actor,
    actorType: principal?.kind ?? 'anonymous',
    clientId: principal?.clientId ?? null,
    ip: req.ip ?? null,
    requestId: typeof req.id === 'string' ? req.id : null,
  };
}

/** Runs `fn` with the request's context (for work done before the interceptor has set it: guards). */
export const withRequestContext = <T>(context: RequestContext, fn: () => T): T => storage.run(context, fn);

/**
 * Captures the caller once guards have run. `enterWith` (not `run`) because Nest
 * invokes the handler later in the same async chain, when it subscribes.
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    storage.enterWith(requestContextOf(context.switchToHttp().getRequest<Request & { id?: string }>()));
    return next.handle();
  }
}
