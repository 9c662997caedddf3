import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import {
  ACCESS_REQUIREMENT,
  type AccessRequirement,
  PRINCIPAL,
  PUBLIC_ROUTE,
  type AuthenticatedRequest,
} from './decorators';
import type { Principal } from './principal';
import { RequestAuthenticator } from './request-authenticator';
import { ResourceServerError, ResourceServerErrorCode } from './resource-server-error';

// The API surfaces. Health, metrics and the OpenAPI UI of the platform runtime live
// outside them and stay open without being marked @Public(); Swagger's /api/docs is
// served by the HTTP adapter directly, so Nest guards never see it.
const PROTECTED_PREFIXES = ['/api/', '/internal/'];

/**
 * Global guard: every handler under /api/ and /internal/ (and any other handler that
 * declares @Authorize) needs a valid access token (bearer, or DPoP with its proof) and must declare its @Authorize
 * requirement (or be @Public) — an undeclared route is refused rather than silently open.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: RequestAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const { isPublic, requirement } = this.accessPolicy(context);
    if (isPublic || (!requirement && !isApiRoute(req))) return true;

    try {
      const { principal, scheme } = await this.authenticator.authenticate(req);
      if (!requirement || !satisfies(principal, requirement)) {
        throw new ResourceServerError(
          ResourceServerErrorCode.InsufficientScope,
          'The token does not grant this operation',
          scheme,
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

  /**
   * The handler's declaration wins over its controller's, and @Authorize wins over
   * @Public on the same target: one protected method in a @Public controller stays protected.
   */
  private accessPolicy(context: ExecutionContext): { isPublic: boolean; requirement?: AccessRequirement } {
    const declared = (target: ReturnType<ExecutionContext['getHandler']>) => ({
      isPublic: this.reflector.get<boolean | undefined>(PUBLIC_ROUTE, target) === true,
      requirement: this.reflector.get<AccessRequirement | undefined>(ACCESS_REQUIREMENT, target),
    });
    const handler = declared(context.getHandler());
    const controller = declared(context.getClass());
    const requirement = handler.requirement ?? controller.requirement;
    const isPublic = handler.requirement ? false : handler.isPublic || (controller.isPublic && !controller.requirement);
    return { isPublic, requirement };
  }
}

/**
 * Decided on the route the request matched, not on the URL as typed: Express matches
 * case-insensitively, so `/API/v1/users` reaches the `/api/v1/users` handler.
 */
function isApiRoute(req: Request): boolean {
  const path = (typeof req.route?.path === 'string' ? req.route.path : req.path).toLowerCase();
  return PROTECTED_PREFIXES.some((prefix) => path.startsWith(prefix));
}

export function satisfies(principal: Principal, requirement: AccessRequirement): boolean {
  const hasAll = (granted: ReadonlySet<string>, wanted: readonly string[] | undefined) =>
    wanted !== undefined && wanted.length > 0 && wanted.every((w) => granted.has(w));
  const isSignedInUser = requirement.signedInUser === true && principal.kind === 'user' && principal.tenantId !== null;
  return (
    isSignedInUser ||
    // Scopes authorize clients acting for themselves; a user's token carries the scopes its app was
    // granted, which must never stand in for permissions the user does not hold (DESIGN §4).
    (principal.kind === 'client' && hasAll(principal.scopes, requirement.scopes)) ||
    hasAll(principal.permissions, requirement.permissions)
  );
}
