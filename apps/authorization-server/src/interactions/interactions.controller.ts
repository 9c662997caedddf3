import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { type InteractionOutcome, InteractionsService } from './interactions.service';

/** The hosted sign-in pages (HTML forms, not a JSON API); oidc-provider sends browsers here. */
@ApiExcludeController()
@Controller('interaction/:uid')
export class InteractionsController {
  constructor(private readonly interactions: InteractionsService) {}

  @Get()
  async show(@Req() req: Request, @Res() res: Response, @Query('recovery') recovery?: string) {
    send(res, await this.interactions.show(req, res, recovery === '1'));
  }

  @Post('login')
  async login(@Req() req: Request, @Res() res: Response, @Body() form: Record<string, unknown>) {
    send(res, await this.interactions.login(req, res, form, req.ip ?? req.socket.remoteAddress ?? '0.0.0.0'));
  }

  @Post('mfa')
  async mfa(@Req() req: Request, @Res() res: Response, @Body() form: Record<string, unknown>) {
    send(res, await this.interactions.mfa(req, res, form));
  }

  @Post('consent')
  async consent(@Req() req: Request, @Res() res: Response, @Body() form: Record<string, unknown>) {
    send(res, await this.interactions.consent(req, res, form));
  }

  @Post('abort')
  async abort(@Req() req: Request, @Res() res: Response, @Body() form: Record<string, unknown>) {
    send(res, await this.interactions.abort(req, res, form));
  }
}

function send(res: Response, outcome: InteractionOutcome): void {
  if (!outcome) return;
  res.status(outcome.status).set(outcome.headers).send(outcome.body);
}
