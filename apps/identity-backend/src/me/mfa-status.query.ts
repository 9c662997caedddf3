import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiProperty } from '@nestjs/swagger';
import { DataSource, IsNull } from 'typeorm';
import { MfaFactor } from '../mfa/mfa-factor.entity';
import { RecoveryCode } from '../mfa/recovery-code.entity';

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
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async execute({ userId }: MyMfaStatusQuery): Promise<MfaStatusView> {
    const [factor, recoveryCodesLeft] = await Promise.all([
      this.dataSource.manager.findOneBy(MfaFactor, { userId }),
      this.dataSource.manager.countBy(RecoveryCode, { userId, usedAt: IsNull() }),
    ]);
    const enrolledAt = factor?.confirmedAt ?? null;
    return { totpEnrolled: enrolledAt !== null, enrolledAt, recoveryCodesLeft };
  }
}
