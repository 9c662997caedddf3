import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class DeleteMyAccountDto {
  @ApiPropertyOptional({ description: 'My password; not needed with a token from a sign-in in the last 5 minutes' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;
}
