import { ApiProperty } from '@nestjs/swagger';

export class SessionClientView {
  @ApiProperty() clientId!: string;
  @ApiProperty({ nullable: true, type: String }) grantId!: string | null;
}

export class SessionView {
  @ApiProperty({ description: 'Public id of the session (not its cookie)' }) id!: string;
  @ApiProperty({ nullable: true, type: Date }) signedInAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date }) expiresAt!: Date | null;
  @ApiProperty({ type: [String], example: ['pwd', 'otp'] }) amr!: string[];
  @ApiProperty({ type: [SessionClientView] }) clients!: SessionClientView[];
}

export class GrantView {
  @ApiProperty() id!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty({ example: 'openid email offline_access' }) scope!: string;
  @ApiProperty({ example: { 'urn:identity-platform:identity-api': 'identity.users.read' } })
  resources!: Record<string, string>;
  @ApiProperty({ nullable: true, type: Date }) createdAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date }) expiresAt!: Date | null;
}
