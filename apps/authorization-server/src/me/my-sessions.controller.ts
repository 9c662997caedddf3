import { Controller, Delete, Get, Param } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@platform/resource-server';
import { NoContentRoute, OkRoute } from '@platform/runtime';
import { MySessionsService } from './my-sessions.service';
import { SignedInUserApi } from './signed-in-user-api';
import { MyGrantView, MySessionView, SignedOutView } from './my-sessions.views';

/** The signed-in user's own sessions (browsers signed in on the hosted pages) and grants (apps given access). */
@SignedInUserApi()
@ApiResponse({ status: 403, description: 'A client token, or a user without a tenant (`insufficient_scope`)' })
@Controller('api/v1/me')
export class MySessionsController {
  constructor(private readonly mine: MySessionsService) {}

  @Get('sessions')
  @OkRoute('My sessions: the browsers I am signed in with, this one marked `current`', { type: [MySessionView] })
  list(@CurrentPrincipal() me: Principal): Promise<MySessionView[]> {
    return this.mine.list(me);
  }

  @Delete('sessions')
  @OkRoute(
    {
      summary: 'Sign out everywhere else',
      description: 'Ends every session but the one the calling token was issued in, with the grants given through them',
    },
    { type: SignedOutView },
  )
  @ApiResponse({ status: 400, description: '`current_session_unknown`: the token names no session to keep' })
  async endOthers(@CurrentPrincipal() me: Principal): Promise<SignedOutView> {
    return { ended: await this.mine.endOthers(me) };
  }

  @Delete('sessions/:sessionId')
  @NoContentRoute(
    'Sign out one session (that browser), revoking the grants given through it',
    "That browser's next request finds no session; its apps' refresh tokens fail",
  )
  @ApiResponse({ status: 404, description: '`session_not_found` (also for other users’ sessions)' })
  async end(@CurrentPrincipal() me: Principal, @Param('sessionId') sessionId: string): Promise<void> {
    await this.mine.end(me, sessionId);
  }

  @Get('grants')
  @OkRoute('My connected apps: the access I gave, per app, with its scopes', { type: [MyGrantView] })
  grants(@CurrentPrincipal() me: Principal): Promise<MyGrantView[]> {
    return this.mine.grants(me);
  }

  @Delete('grants/:grantId')
  @NoContentRoute("Withdraw an app's access", "The app's refresh and access tokens stop working")
  @ApiResponse({ status: 404, description: '`grant_not_found` (also for other users’ grants)' })
  async revoke(@CurrentPrincipal() me: Principal, @Param('grantId') grantId: string): Promise<void> {
    await this.mine.revoke(me, grantId);
  }
}
