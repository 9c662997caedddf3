import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsUrl,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { OptionalStringField, OptionalUuidField, StringField } from '@platform/runtime';
import { SIGNING_ALGORITHMS } from '../../keys/signing-key.entity';
import type { OAuthClient } from '../oauth-client.entity';

export const CLIENT_TYPES = ['service', 'confidential', 'spa', 'native'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/;

export const GRANT_TYPES = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:device_code',
  'password',
  'urn:ietf:params:oauth:grant-type:token-exchange',
] as const;

/** Request object signatures the provider verifies with the client's keys (asymmetric only: secrets are stored hashed). */
export const REQUEST_OBJECT_ALGORITHMS = ['ES256', 'RS256', 'PS256', 'EdDSA'] as const;

export const AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  // RFC 8705 §2: a client certificate (needs MTLS_CLIENT_CERTIFICATE_HEADER; tls_client_auth also MTLS_CLIENT_CA_FILE).
  'tls_client_auth',
  'self_signed_tls_client_auth',
] as const;

/** Authentication methods without a client secret. */
export const SECRETLESS_AUTH_METHODS: readonly string[] = [
  'private_key_jwt',
  'tls_client_auth',
  'self_signed_tls_client_auth',
];

/** Registration options beyond the basics; each maps to one RFC 7591 / OIDC metadata name. */
export class ClientOptionsDto {
  @ApiPropertyOptional({
    enum: GRANT_TYPES,
    isArray: true,
    description:
      "Grants instead of the type's defaults; `password` (resource owner credentials) and token exchange (of API keys) are opt-in and limited to confidential clients",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(6)
  @IsIn(GRANT_TYPES, { each: true })
  grantTypes?: (typeof GRANT_TYPES)[number][];

  @ApiPropertyOptional({
    type: [String],
    description: 'Browser origins allowed to call /token, /userinfo, /tokens/revoke (CORS)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['https', 'http'] }, { each: true })
  webOrigins?: string[];

  @ApiPropertyOptional({ description: 'Receives OpenID back-channel logout tokens when a session ends' })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['https', 'http'] })
  backchannelLogoutUri?: string;

  @ApiPropertyOptional({ description: 'Access tokens only with a DPoP proof (RFC 9449)', default: false })
  @IsOptional()
  @IsBoolean()
  dpopBoundAccessTokens?: boolean;

  @ApiPropertyOptional({
    enum: AUTH_METHODS,
    description:
      'Confidential clients only; private_key_jwt and self_signed_tls_client_auth need jwksUri or jwks (the certificate in x5c), tls_client_auth one tlsClientAuth* subject field',
  })
  @IsOptional()
  @IsIn(AUTH_METHODS)
  tokenEndpointAuthMethod?: (typeof AUTH_METHODS)[number];

  @OptionalStringField([1, 1000], {
    description: 'tls_client_auth: the subject DN (RFC 4514, e.g. CN=app,O=Acme,C=DE) of its certificate',
  })
  tlsClientAuthSubjectDn?: string;

  @OptionalStringField([1, 255], {
    description: 'tls_client_auth: a dNSName SAN of its certificate (instead of the subject DN)',
  })
  tlsClientAuthSanDns?: string;

  @OptionalStringField([1, 2000], {
    description: 'tls_client_auth: a uniformResourceIdentifier SAN of its certificate',
  })
  tlsClientAuthSanUri?: string;

  @OptionalStringField([1, 64], { description: 'tls_client_auth: an iPAddress SAN of its certificate' })
  tlsClientAuthSanIp?: string;

  @OptionalStringField([1, 320], { description: 'tls_client_auth: an rfc822Name SAN of its certificate' })
  tlsClientAuthSanEmail?: string;

  @ApiPropertyOptional({
    description: 'Access tokens bound to the client certificate of the token request (RFC 8705 §3, cnf.x5t#S256)',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  tlsClientCertificateBoundAccessTokens?: boolean;

  @ApiPropertyOptional({
    description:
      'Confidential clients: PKCE on every authorization request (default: the platform setting PKCE_REQUIRED_FOR_CONFIDENTIAL_CLIENTS). Public clients always need PKCE.',
  })
  @IsOptional()
  @IsBoolean()
  requirePkce?: boolean;

  @ApiPropertyOptional({ enum: SIGNING_ALGORITHMS, default: 'RS256', description: 'Algorithm of its ID tokens' })
  @IsOptional()
  @IsIn(SIGNING_ALGORITHMS)
  idTokenSignedResponseAlg?: (typeof SIGNING_ALGORITHMS)[number];

  @ApiPropertyOptional({
    enum: SIGNING_ALGORITHMS,
    description: 'Signed (JWT) userinfo responses with this algorithm; unset: plain JSON',
  })
  @IsOptional()
  @IsIn(SIGNING_ALGORITHMS)
  userinfoSignedResponseAlg?: (typeof SIGNING_ALGORITHMS)[number];

  @ApiPropertyOptional({ description: "The client's public keys, for private_key_jwt and request objects" })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['https', 'http'] })
  jwksUri?: string;

  // Checked by the service (public RSA/EC/OKP signing keys only, at most 10, 16 KiB): 400 invalid_client_metadata.
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { keys: [{ kty: 'EC', crv: 'P-256', x: '…', y: '…', kid: 'k1', alg: 'ES256' }] },
    description:
      "The client's public keys inline (a JWK Set), instead of jwksUri: for private_key_jwt and signed request objects",
  })
  @IsOptional()
  @IsObject()
  jwks?: { keys: object[] };

  @ApiPropertyOptional({
    enum: REQUEST_OBJECT_ALGORITHMS,
    description:
      'The only algorithm its request objects (OIDC Core §6) may be signed with; unset: any supported one. Unsigned request objects are never accepted',
  })
  @IsOptional()
  @IsIn(REQUEST_OBJECT_ALGORITHMS)
  requestObjectSigningAlg?: (typeof REQUEST_OBJECT_ALGORITHMS)[number];
}

/** Per-client token lifetimes (seconds); a resource server's own shorter TTL still wins. */
export class ClientTokenTtlsDto extends ClientOptionsDto {
  @ApiPropertyOptional({ minimum: 60, maximum: 86400, description: 'Access token lifetime for this client' })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(86_400)
  accessTokenTtlSeconds?: number;

  @ApiPropertyOptional({ minimum: 300, maximum: 31536000, description: 'Refresh token lifetime for this client' })
  @IsOptional()
  @IsInt()
  @Min(300)
  @Max(365 * 86_400)
  refreshTokenTtlSeconds?: number;
}

export class CreateClientDto extends ClientTokenTtlsDto {
  @StringField([1, 200], { example: 'Partner billing sync' }) name!: string;

  @ApiProperty({
    enum: CLIENT_TYPES,
    description: 'service: client credentials; confidential: web app with a secret; spa/native: public, PKCE',
  })
  @IsIn(CLIENT_TYPES)
  type!: ClientType;

  @ApiPropertyOptional({
    type: [String],
    description: 'Exact-match redirect URIs (native apps may use http://127.0.0.1 with any port)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['https', 'http'] }, { each: true })
  redirectUris?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['https', 'http'] }, { each: true })
  postLogoutRedirectUris?: string[];

  @ApiPropertyOptional({ type: [String], example: ['identity.users.read'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(SCOPE_TOKEN, { each: true, message: 'each scope must be a valid scope token' })
  scopes?: string[];

  @OptionalUuidField({ description: 'Tenant the client belongs to; its tokens carry tenant_id' })
  tenantId?: string;

  @ApiPropertyOptional({ description: 'First-party client: consent is skipped', default: false })
  @IsOptional()
  @IsBoolean()
  trusted?: boolean;
}

/** Changes to a registration; the type, tenant and authentication method stay as created. */
export class UpdateClientDto extends PartialType(
  OmitType(CreateClientDto, ['type', 'tenantId', 'tokenEndpointAuthMethod'] as const),
) {}

export class RotateSecretDto {
  @ApiPropertyOptional({ description: 'How long the previous secret keeps working', default: 86400, maximum: 2592000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30 * 24 * 3600)
  overlapSeconds?: number;
}

export class ClientView {
  @ApiProperty() clientId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) tenantId!: string | null;
  @ApiProperty({ description: 'Registered metadata (RFC 7591), never a secret' }) metadata!: Record<string, unknown>;
  @ApiProperty() hasSecret!: boolean;
  @ApiProperty() createdAt!: Date;

  static of({ clientId, name, tenantId, metadata, secretHash, createdAt }: OAuthClient): ClientView {
    return Object.assign(new ClientView(), {
      clientId,
      name,
      tenantId,
      metadata,
      hasSecret: secretHash !== null,
      createdAt,
    });
  }
}

export class ClientWithSecretView extends ClientView {
  @ApiPropertyOptional({ description: 'Shown only in this response; stored hashed' }) clientSecret?: string;
}
