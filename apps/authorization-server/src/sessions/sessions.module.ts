import { Module } from '@nestjs/common';
import { UserSessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

@Module({
  // The users' own routes (/api/v1/me/sessions, /me/grants) are in ../me, on top of SessionsService.
  controllers: [UserSessionsController],
  providers: [SessionsRepository, SessionsService],
  exports: [SessionsService],
})
export class SessionsModule {}
