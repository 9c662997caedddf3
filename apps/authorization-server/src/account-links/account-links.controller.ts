import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController, ApiResponse } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@platform/resource-server';
import { OkRoute } from '@platform/runtime';
import type { Request, Response } from 'express';
import { SignedInUserApi } from '../me/signed-in-user-api';
import { NotWhileImpersonated } from '../impersonation/not-while-impersonated.guard';
import { ACCOUNT_LINK_CALLBACK, AccountLinks } from './account-links.service';
import { LinkableProviderView, LinkStartedView, StartLinkDto } from './account-links.views';

/** The account console's "Link another account": which providers, and the start of the upstream round trip. */
@SignedInUserApi()
@Controller('api/v1/me/external-identities')
export class MyAccountLinksController {
  constructor(private readonly links: AccountLinks) {}

  @Get('providers')
  @OkRoute('The identity providers of my organisation I can link an account from', { type: [LinkableProviderView] })
  providers(@CurrentPrincipal() me: Principal): Promise<LinkableProviderView[]> {
    return this.links.providers(me);
  }

  @Post('link')
  @OkRoute(
    {
      summary: 'Start linking an account at one of my identity providers',
      description:
        'Answers the upstream authorization URL and sets an HttpOnly cookie binding the round trip to this ' +
        'browser; the browser goes there, and comes back to /account/linked-accounts?linked=<slug> (or ?link_error=' +
        'expired|cancelled|failed|taken).',
    },
    { type: LinkStartedView },
  )
  @NotWhileImpersonated()
  @ApiResponse({ status: 404, description: '`idp_not_found`' })
  @ApiResponse({ status: 502, description: '`idp_unreachable`: its discovery failed' })
  async start(
    @CurrentPrincipal() me: Principal,
    @Body() dto: StartLinkDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LinkStartedView> {
    const { url, setCookie } = await this.links.start(me, dto.provider);
    res.append('set-cookie', setCookie);
    return { url };
  }
}

/** The browser's way back from the upstream IdP (sent on by the federated callback when the state is a link's). */
@ApiExcludeController()
@Controller(ACCOUNT_LINK_CALLBACK.slice(1))
export class AccountLinkCallbackController {
  constructor(private readonly links: AccountLinks) {}

  @Get()
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { location, setCookie } = await this.links.finish(req, new URL(req.url, 'http://x').search.slice(1));
    res.append('set-cookie', setCookie).set('cache-control', 'no-store').redirect(303, location);
  }
}
