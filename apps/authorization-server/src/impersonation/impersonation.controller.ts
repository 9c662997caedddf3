import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { expiredPage } from '../interactions/pages/pages';
import { pageI18n } from '../interactions/pages/layout';
import { chosenLocale } from '../interactions/language-choice';
import { ImpersonationSessions } from './impersonation-sessions';

/** Where the start links lead (the identity backend makes them: `${ISSUER}/impersonation/start?ticket=…`). */
export const IMPERSONATION_START = '/impersonation/start';
/** The account console: its sign-in, in this browser, is the administrator's. */
const ACCOUNT_CONSOLE = '/account/';

/**
 * Opening a start link keeps its ticket in this browser (HttpOnly, 5 minutes) and goes on to the
 * account console; the hosted login that follows is the administrator's own, and only its
 * completion makes the session the user's (impersonation-sessions.ts). The ticket alone signs
 * nobody in.
 */
@ApiExcludeController()
@Controller(IMPERSONATION_START.slice(1))
export class ImpersonationStartController {
  @Get()
  start(
    @Req() req: Request,
    @Res() res: Response,
    @Query('ticket') ticket?: unknown,
    @Query('tenant') tenant?: unknown,
  ) {
    if (!ImpersonationSessions.isTicket(ticket)) {
      const i18n = pageI18n({ chosen: chosenLocale(req), acceptLanguage: req.headers['accept-language'] });
      const page = expiredPage({ i18n });
      res.status(page.status).set(page.headers).send(page.body);
      return;
    }
    const next = new URL(ACCOUNT_CONSOLE, 'http://x');
    if (typeof tenant === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(tenant)) next.searchParams.set('tenant', tenant);
    res
      .append('set-cookie', ImpersonationSessions.startCookie(ticket, req.secure))
      .set('cache-control', 'no-store')
      .set('referrer-policy', 'no-referrer')
      .redirect(303, `${next.pathname}${next.search}`);
  }
}
