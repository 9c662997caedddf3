import { ApiProperty } from '@nestjs/swagger';
import type { ResourceServer } from './resource-server.entity';

/** A resource server (API) as the management API shows it. */
export class ResourceServerView {
  @ApiProperty({ example: 'https://api.partner.example' }) identifier!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) scopes!: string[];
  @ApiProperty({ enum: ['jwt', 'opaque'] }) tokenFormat!: 'jwt' | 'opaque';
  @ApiProperty() accessTokenTtl!: number;
  @ApiProperty() includePermissions!: boolean;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { 'reports.read': ['reports:read'] },
    description: 'Which permissions each scope covers',
  })
  scopePermissions!: Record<string, string[]>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'reports.read': 'Read your reports' },
    description: 'What each scope allows, as consent pages show it',
  })
  scopeDescriptions!: Record<string, string>;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The client this API introspects its tokens with (RFC 7662), or null',
  })
  introspectionClientId!: string | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;

  static of(server: ResourceServer): ResourceServerView {
    return Object.assign(new ResourceServerView(), server);
  }
}
