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
 * Captures the caller once guards have run. `enterWith` (not `run`) because Nest
 * invokes the handler later in the same async chain, when it subscribes.
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request & { id?: string }>();
    const principal = principalOf(req);
    storage.enterWith({
      actor: principal?.subject ?? null,
      actorType: principal?.kind ?? 'anonymous',
      clientId: principal?.clientId ?? null,
      ip: req.ip ?? null,
      requestId: typeof req.id === 'string' ? req.id : null,
    });
    return next.handle();
  }
}
