import { Module } from '@nestjs/common';
import { MyDevicesController, UserDevicesController } from './trusted-devices.controller';
import { TrustedDevicesRepository } from './trusted-devices.repository';
import { TrustedDevices } from './trusted-devices.service';

/** The trusted-device store, its self-service (/api/v1/me/devices) and admin (/api/v1/users/{id}/devices) routes. */
@Module({
  controllers: [MyDevicesController, UserDevicesController],
  providers: [TrustedDevicesRepository, TrustedDevices],
  exports: [TrustedDevices],
})
export class DevicesModule {}
