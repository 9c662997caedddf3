import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ACCOUNT_LINK_CALLBACK, AccountLinks } from '../account-links/account-links.service';
import { FederatedLogin } from './federated-login';
import { type InteractionOutcome, InteractionsService } from './interactions.service';
import { chosenLocale } from './language-choice';
import { pageI18n } from './pages/layout';
import { expiredPage } from './pages/pages';
import { INTERACTION_PATH, interactionUrl } from './steps/interaction-page';

/** The hosted sign-in pages (HTML forms, not a JSON API); oidc-provider sends browsers here. */
@ApiExcludeController()
@Controller(`${INTERACTION_PATH.slice(1)}/:uid`)
export class InteractionsController {
  constructor(private readonly interactions: InteractionsService) {}

  @Get()
  async show(
    @Req() req: Request,
    @Res() res: Response,
    @Query('recovery') recovery?: string,
    @Query('switch') switching?: string,
  ) {
    send(res, await this.interactions.show(req, res, { recovery: recovery === '1', switching: switching === '1' }));
  }

  @Post('login')
  async login(@Req() req: Request, @Res() res: Response, @Body() form: Record<string, unknown>) {
    send(res, await this.interactions.login(req, res, form, req.ip ?? req.socket.remoteAddress ?? '0.0.0.0'));
  }

  @Post('mfa')
  async mfa(@Req() req: Request, @Res() res: Response, @Body() form: Record<string, unknown>) {
    send(res, await this.interactions.mfa(req, res, form));
  }

  @Post('passkey')
  async passkey(@Req() req: Request, @Res() res: Response, @Body() form: Record<string, unknown>) {
    send(res, await this.interactions.passkey(req, res, form));
  }

  @Post('password')
  async password(@Req() req: Request, @Res() res: Response, @Body() form: Record<string, unknown>) {
    send(res, await this.interactions.changePassword(req, res, form));
  }

  @Post('consent')
  async consent(@Req() req: Request, @Res() res: Response, @Body() form: Record<string, unknown>) {
    send(res, await this.interactions.consent(req, res, form));
  }

  @Get('federated/:slug')
  async federated(@Req() req: Request, @Res() res: Response, @Param('slug') slug: string) {
    send(res, await this.interactions.startFederation(req, res, slug));
  }

  @Get('federated-callback')
  async federatedCallback(@Req() req: Request, @Res() res: Response) {
    send(res, await this.interactions.finishFederation(req, res, new URL(req.url, 'http://x').search.slice(1)));
  }

  @Post('abort')
  async abort(@Req() req: Request, @Res() res: Response, @Body() form: Record<string, unknown>) {
    send(res, await this.interactions.abort(req, res, form));
  }
}

/**
 * The one redirect URI registered at every upstream IdP. The interaction cookie is scoped to
 * /interaction/<uid>, so the browser is sent on there (the uid travels in `state`).
 */
@ApiExcludeController()
@Controller(`${INTERACTION_PATH.slice(1)}/callback`)
export class FederatedCallbackController {
  @Get('federated')
  callback(@Req() req: Request, @Res() res: Response) {
    const query = new URL(req.url, 'http://x').search;
    const state = new URLSearchParams(query).get('state');
    // A link started from the account console (no interaction): its own callback takes it.
    if (AccountLinks.owns(state)) return res.redirect(303, `${ACCOUNT_LINK_CALLBACK}${query}`);
    const uid = FederatedLogin.interactionOf(state);
    if (!uid) {
      send(
        res,
        expiredPage({ i18n: pageI18n({ chosen: chosenLocale(req), acceptLanguage: req.headers['accept-language'] }) }),
      );
      return;
    }
    res.redirect(303, `${interactionUrl(uid)}/federated-callback${query}`);
  }
}

function send(res: Response, outcome: InteractionOutcome): void {
  if (!outcome) return;
  res.status(outcome.status).set(outcome.headers).send(outcome.body);
}
