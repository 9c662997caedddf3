import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module';
import { MySessionsController } from './my-sessions.controller';
import { ClientNamesRepository } from './my-sessions.repository';
import { MySessionsService } from './my-sessions.service';

/** Self-service routes of the management API (/api/v1/me/...). */
@Module({
  imports: [SessionsModule],
  controllers: [MySessionsController],
  providers: [MySessionsService, ClientNamesRepository],
})
export class MeModule {}
