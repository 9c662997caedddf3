import { Controller, Get, Query } from '@nestjs/common';
import { ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Public } from '@platform/resource-server';
import { OkRoute } from '@platform/runtime';
import { WebOrigins } from './web-origins';

export class WebOriginAnswer {
  @ApiProperty() origin!: string;
  @ApiProperty({ description: 'Whether a registered client declared this origin in its webOrigins' }) allowed!: boolean;
}

/**
 * Lets the identity backend (which does not know clients) decide CORS for browser apps. One origin
 * at a time and unauthenticated on purpose: it tells no more than a CORS preflight with that Origin
 * would, and never lists the origins (which would name every tenant's apps).
 */
@ApiTags('clients')
@Public()
@Controller('api/v1/web-origins')
export class WebOriginsController {
  constructor(private readonly origins: WebOrigins) {}

  @Get('allowed')
  @OkRoute('Tell whether a browser origin belongs to a registered client', { type: WebOriginAnswer })
  @ApiQuery({ name: 'origin', example: 'https://app.example.com' })
  async allowed(@Query('origin') origin: unknown): Promise<WebOriginAnswer> {
    const value = typeof origin === 'string' ? origin.slice(0, 2048) : '';
    return { origin: value, allowed: value !== '' && (await this.origins.allowed(value)) };
  }
}
