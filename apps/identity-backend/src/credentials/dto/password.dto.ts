import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { StringField } from '@platform/runtime';

export class ChangeOwnPasswordDto {
  @StringField(1024) currentPassword!: string;
  @StringField(1024) newPassword!: string;
}

export class SetPasswordDto {
  @StringField(1024) password!: string;

  @ApiPropertyOptional({ description: 'The user must change it at next sign-in', default: true })
  @IsOptional()
  @IsBoolean()
  temporary?: boolean;
}
