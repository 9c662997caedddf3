import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ACCOUNT_PAGES } from '@platform/contracts';
import type { Request, Response } from 'express';
import type { RenderedPage } from '../interactions/pages/layout';
import { SelfServiceService } from './self-service.service';

type Form = Record<string, unknown>;

/** The hosted self-service pages (HTML forms); the identity backend's emails link here. */
@ApiExcludeController()
@Controller()
export class SelfServiceController {
  constructor(private readonly pages: SelfServiceService) {}

  @Get(ACCOUNT_PAGES.signUp)
  async signUp(@Req() req: Request, @Res() res: Response) {
    send(res, await this.pages.signUp(req));
  }

  @Post(ACCOUNT_PAGES.signUp)
  async register(@Req() req: Request, @Res() res: Response, @Body() form: Form) {
    send(res, await this.pages.signUp(req, form));
  }

  @Get(ACCOUNT_PAGES.verifyEmail)
  async verifyEmail(@Req() req: Request, @Res() res: Response) {
    send(res, await this.pages.verifyEmail(req));
  }

  @Post(ACCOUNT_PAGES.verifyEmail)
  async confirmEmail(@Req() req: Request, @Res() res: Response, @Body() form: Form) {
    send(res, await this.pages.verifyEmail(req, form));
  }

  @Post(`${ACCOUNT_PAGES.verifyEmail}/resend`)
  async resend(@Req() req: Request, @Res() res: Response, @Body() form: Form) {
    send(res, await this.pages.resendVerification(req, form));
  }

  @Get(ACCOUNT_PAGES.forgotPassword)
  async forgotPassword(@Req() req: Request, @Res() res: Response) {
    send(res, await this.pages.forgotPassword(req));
  }

  @Post(ACCOUNT_PAGES.forgotPassword)
  async requestReset(@Req() req: Request, @Res() res: Response, @Body() form: Form) {
    send(res, await this.pages.forgotPassword(req, form));
  }

  @Get(ACCOUNT_PAGES.resetPassword)
  async resetPassword(@Req() req: Request, @Res() res: Response) {
    send(res, await this.pages.resetPassword(req));
  }

  @Post(ACCOUNT_PAGES.resetPassword)
  async reset(@Req() req: Request, @Res() res: Response, @Body() form: Form) {
    send(res, await this.pages.resetPassword(req, form));
  }

  @Get(ACCOUNT_PAGES.confirmEmailChange)
  async confirmEmailChangePage(@Req() req: Request, @Res() res: Response) {
    send(res, await this.pages.confirmEmailChange(req));
  }

  @Post(ACCOUNT_PAGES.confirmEmailChange)
  async confirmEmailChange(@Req() req: Request, @Res() res: Response, @Body() form: Form) {
    send(res, await this.pages.confirmEmailChange(req, form));
  }
}

function send(res: Response, page: RenderedPage): void {
  const { 'set-cookie': cookies, ...headers } = page.headers;
  res.status(page.status).set(headers);
  if (cookies) res.setHeader('set-cookie', cookies.split('\n'));
  res.send(page.body);
}
