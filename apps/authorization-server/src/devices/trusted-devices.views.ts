import { ApiProperty } from '@nestjs/swagger';

export class TrustedDeviceView {
  @ApiProperty({ format: 'uuid', description: 'Public id of the trusted device (not its cookie)' }) id!: string;
  @ApiProperty({
    enum: ['remembered', 'strong'],
    description: '`strong`: the second factor that trusted it was a passkey; `remembered`: a code',
  })
  trustLevel!: 'remembered' | 'strong';

  @ApiProperty({ nullable: true, type: String, example: 'Firefox on Windows', description: 'Browser and system' })
  userAgentFamily!: string | null;

  @ApiProperty({ type: Date }) createdAt!: Date;
  @ApiProperty({ type: Date, description: 'The last sign-in of the user on it' }) lastSeenAt!: Date;
  @ApiProperty({ type: Date, description: 'When the trust ends (the second factor is asked again)' })
  trustedUntil!: Date;
}

export class MyTrustedDeviceView extends TrustedDeviceView {
  @ApiProperty({ description: 'The browser making this request (its device cookie)' }) current!: boolean;
}
