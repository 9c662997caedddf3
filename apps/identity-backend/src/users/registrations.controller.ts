import { Body, Controller, Ip, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Public } from '@platform/resource-server';
import { AcceptedRoute } from '@platform/runtime';
import { RegisterUserCommand } from './commands/register-user.command';
import { RegisterUserDto } from './dto/user.dto';

const ACCEPTED = {
  status: 'accepted',
  message: 'If this address can be registered, a verification email is on its way.',
} as const;

@ApiTags('registration')
@Controller('api/v1/registrations')
export class RegistrationsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @AcceptedRoute('Register a new account (self-service sign-up)', {
    description: 'The same answer whether or not the address already has an account',
  })
  @ApiResponse({ status: 400, description: '`validation_failed`' })
  @Public()
  @ApiTooManyRequestsResponse({ description: 'too_many_requests (Retry-After): registrations per client IP' })
  async register(@Body() dto: RegisterUserDto, @Ip() clientIp: string): Promise<typeof ACCEPTED> {
    await this.commands.execute(
      new RegisterUserCommand(
        dto.tenant,
        dto.email,
        dto.password,
        clientIp,
        dto.username,
        dto.profile && { ...dto.profile },
      ),
    );
    return ACCEPTED;
  }
}
