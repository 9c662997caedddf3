import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** An IdP of the user's tenant that an account can be linked from. */
export class LinkableProviderView {
  @ApiProperty() slug!: string;
  @ApiProperty({ description: 'As the login page names it ("Sign in with …")' }) displayName!: string;
  @ApiProperty({ nullable: true, type: String }) logoUrl!: string | null;
}

export class StartLinkDto {
  @ApiProperty({ description: 'The slug of one of the tenant’s identity providers' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/)
  provider!: string;
}

export class LinkStartedView {
  @ApiProperty({ description: 'The upstream authorization URL: send the browser there (top-level navigation)' })
  url!: string;
}
