import { ApiProperty } from '@nestjs/swagger';
import { GrantView, SessionView } from '../sessions/sessions.views';

export class MySessionView extends SessionView {
  @ApiProperty({ description: 'The session the calling token was issued in (this browser)' }) current!: boolean;
}

export class MyGrantView extends GrantView {
  @ApiProperty({ description: "The app's display name (its client id when it has none)" }) clientName!: string;
  @ApiProperty({ description: 'One of the platform’s own apps (account or admin console)' }) firstParty!: boolean;
}

export class SignedOutView {
  @ApiProperty({ description: 'How many sessions were ended' }) ended!: number;
}
