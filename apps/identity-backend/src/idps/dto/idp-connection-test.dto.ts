import { ApiProperty } from '@nestjs/swagger';

export const IDP_CONNECTION_CODES = [
  'ok',
  'insecure_issuer',
  'target_forbidden',
  'timeout',
  'unreachable',
  'http_error',
  'invalid_document',
  'issuer_mismatch',
  'jwks_unavailable',
] as const;
export type IdpConnectionCode = (typeof IDP_CONNECTION_CODES)[number];

/** The outcome of an identity provider's connection test (its discovery document and JWKS). */
export class IdpConnectionTestView {
  @ApiProperty({ description: 'Whether a sign-in could start: discovery and JWKS both usable' }) ok!: boolean;

  @ApiProperty({ enum: IDP_CONNECTION_CODES, description: 'What was found, machine-readable' })
  code!: IdpConnectionCode;

  @ApiProperty({ description: 'The same in words, for the administrator' }) message!: string;
  @ApiProperty() discoveryUrl!: string;
  @ApiProperty({ nullable: true, type: Number }) httpStatus!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'The issuer the document names' }) issuer!: string | null;
  @ApiProperty({ nullable: true, type: String }) authorizationEndpoint!: string | null;
  @ApiProperty({ nullable: true, type: String }) tokenEndpoint!: string | null;
  @ApiProperty({ nullable: true, type: String }) userinfoEndpoint!: string | null;
  @ApiProperty({ nullable: true, type: String }) jwksUri!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Keys the JWKS publishes' }) jwksKeys!: number | null;
  @ApiProperty({ description: 'How long the test took' }) durationMs!: number;
}
