import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

export class ChangeOwnPasswordDto {
  @ApiProperty() @IsString() @MaxLength(1024) currentPassword!: string;
  @ApiProperty() @IsString() @MaxLength(1024) newPassword!: string;
}

export class SetPasswordDto {
  @ApiProperty() @IsString() @MaxLength(1024) password!: string;

  @ApiPropertyOptional({ description: 'The user must change it at next sign-in', default: true })
  @IsOptional()
  @IsBoolean()
  temporary?: boolean;
}
