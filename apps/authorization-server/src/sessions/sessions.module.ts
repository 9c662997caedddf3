import { Module } from '@nestjs/common';
import { MySessionsController, UserSessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

@Module({
  controllers: [MySessionsController, UserSessionsController],
  providers: [SessionsRepository, SessionsService],
})
export class SessionsModule {}
