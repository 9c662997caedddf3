import { Module } from '@nestjs/common';
import { SigningKeysController } from './keys/signing-keys.controller';

/** The /api/v1 management surface of the authorization server. */
@Module({ controllers: [SigningKeysController] })
export class ManagementModule {}
