import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AccessTokenVerifier } from './access-token-verifier';
import {
  ACCESS_REQUIREMENT,
  type AccessRequirement,
  PRINCIPAL,
  PUBLIC_ROUTE,
  type AuthenticatedRequest,
} from './decorators';
import type { Principal } from './principal';
import { ResourceServerError, ResourceServerErrorCode } from './resource-server-error';

// Health, metrics and API docs stay open: the guard protects the API surfaces only.
const PROTECTED_PREFIXES = ['/api/v', '/internal/'];

/**
 * Global guard: every handler under /api/v* and /internal/ needs a valid bearer token
 * and must declare its @Authorize requirement (or be @Public) — an undeclared route
 * is refused rather than silently open.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const targets = [context.getHandler(), context.getClass()];
    if (!PROTECTED_PREFIXES.some((p) => req.path.startsWith(p))) return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    try {
      const principal = await this.verifier.verify(bearerToken(req));
      const requirement = this.reflector.getAllAndOverride<AccessRequirement>(ACCESS_REQUIREMENT, targets);
      if (!requirement || !satisfies(principal, requirement)) {
        throw new ResourceServerError(
          ResourceServerErrorCode.InsufficientScope,
          'The token does not grant this operation',
        );
      }
      req[PRINCIPAL] = principal;
      return true;
    } catch (error) {
      if (error instanceof ResourceServerError && error.wwwAuthenticate) {
        context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', error.wwwAuthenticate);
      }
      throw error;
    }
  }
}

function bearerToken(req: Request): string {
  const header = req.headers.authorization;
  if (!header) throw new ResourceServerError(ResourceServerErrorCode.MissingToken, 'A bearer access token is required');
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(header);
  if (!match)
    throw new ResourceServerError(
      ResourceServerErrorCode.InvalidToken,
      'The Authorization header is not a bearer token',
    );
  return match[1]!;
}

export function satisfies(principal: Principal, requirement: AccessRequirement): boolean {
  const hasAll = (granted: ReadonlySet<string>, wanted: readonly string[] | undefined) =>
    wanted !== undefined && wanted.length > 0 && wanted.every((w) => granted.has(w));
  return hasAll(principal.scopes, requirement.scopes) || hasAll(principal.permissions, requirement.permissions);
}
