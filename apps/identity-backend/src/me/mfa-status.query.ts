import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiProperty } from '@nestjs/swagger';
import { MfaFactors } from '../mfa/mfa-factors';

export class MfaStatusView {
  @ApiProperty({ description: 'An authenticator app (TOTP) is confirmed and asked for at sign-in' })
  totpEnrolled!: boolean;
  @ApiProperty({ nullable: true, type: Date }) enrolledAt!: Date | null;
  @ApiProperty({ description: 'Unused recovery codes left' }) recoveryCodesLeft!: number;
}

/** The signed-in user's second factors, without any secret. */
export class MyMfaStatusQuery extends Query<MfaStatusView> {
  constructor(readonly userId: string) {
    super();
  }
}

@QueryHandler(MyMfaStatusQuery)
export class MyMfaStatusHandler implements IQueryHandler<MyMfaStatusQuery> {
  constructor(private readonly mfa: MfaFactors) {}

  async execute({ userId }: MyMfaStatusQuery): Promise<MfaStatusView> {
    const { enrolledAt, recoveryCodesLeft } = await this.mfa.summaryOf(userId);
    return { totpEnrolled: enrolledAt !== null, enrolledAt, recoveryCodesLeft };
  }
}
