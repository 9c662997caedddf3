import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { MAX_IMPERSONATION_MINUTES } from './commands/impersonation.commands';

export class StartImpersonationDto {
  @ApiProperty({ description: 'Why: shown to the user in the alert mail and kept in the audit trail', maxLength: 500 })
  @IsString()
  @Length(3, 500)
  // Printable text only (no control or bidi characters: the reason reaches a mail and the audit trail).
  @Matches(/^[^\p{Cc}\p{Cf}]+$/u, { message: 'reason must be visible text' })
  reason!: string;

  @ApiProperty({
    description: 'How long the impersonated session lasts',
    minimum: 1,
    maximum: MAX_IMPERSONATION_MINUTES,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_IMPERSONATION_MINUTES)
  durationMinutes!: number;
}

export class StartedImpersonationView {
  @ApiProperty() id!: string;
  @ApiProperty({
    description: 'Open once, in the administrator’s browser, within 5 minutes: sign in as yourself to start',
  })
  startUrl!: string;

  @ApiProperty({ description: 'When the impersonated session ends' }) expiresAt!: string;
  @ApiProperty({ description: 'Until when the start link works' }) startUrlExpiresAt!: string;
}

export class MyImpersonationView {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'The administrator acting' }) actorId!: string;
  @ApiProperty({ description: 'Their name (or email address)' }) actorName!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() expiresAt!: string;
}

export class RedeemImpersonationDto {
  @ApiProperty() @IsString() @Length(16, 128) ticket!: string;
  @ApiProperty({ description: 'The account just signed in in the browser that opened the link' })
  @IsString()
  @Length(1, 64)
  actorId!: string;
}

export class RedeemedImpersonationView {
  @ApiProperty() id!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty({ description: 'The user acted as' }) userId!: string;
  @ApiProperty() actorId!: string;
  @ApiProperty() expiresAt!: string;
}
