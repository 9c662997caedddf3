import { Module, type OnModuleInit } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module';
import { ClientTenants } from '../oidc/client-tenants';
import { providerPageBranding } from './provider-context';
import { FederatedCallbackController, InteractionsController } from './interactions.controller';
import { FederatedLogin } from './federated-login';
import { HostedAssetsController } from './hosted-assets.controller';
import { InteractionsService } from './interactions.service';
import { NewDeviceAlerts } from './new-device-alerts';
import { PasswordPolicies } from '../self-service/password-policies';
import { SelfServiceClient } from '../self-service/self-service.client';
import { HostedTenants } from './hosted-tenants';
import { PLATFORM_BRANDING } from './pages/layout';
import { ConsentStep } from './steps/consent.step';
import { FederationStep } from './steps/federation.step';
import { LoginStep } from './steps/login.step';
import { MfaStep } from './steps/mfa.step';
import { PasskeyStep } from './steps/passkey.step';
import { PasswordChangeStep } from './steps/password-change.step';
import { RecoveryCodeStep } from './steps/recovery-code.step';
import { SignInCompletion } from './steps/sign-in-completion';
import { StepPages } from './steps/step-pages';

@Module({
  imports: [DevicesModule],
  controllers: [FederatedCallbackController, InteractionsController, HostedAssetsController],
  providers: [
    InteractionsService,
    HostedTenants,
    FederatedLogin,
    StepPages,
    SignInCompletion,
    LoginStep,
    MfaStep,
    PasskeyStep,
    RecoveryCodeStep,
    PasswordChangeStep,
    ConsentStep,
    FederationStep,
    NewDeviceAlerts,
    PasswordPolicies,
    SelfServiceClient,
  ],
})
export class InteractionsModule implements OnModuleInit {
  constructor(
    private readonly clientTenants: ClientTenants,
    private readonly tenants: HostedTenants,
  ) {}

  /** oidc-provider's own pages (errors, logout, device flow) wear the client's tenant's branding too. */
  onModuleInit(): void {
    providerPageBranding.resolve = async (clientId) => {
      const tenant = await this.clientTenants.of(clientId);
      return tenant ? this.tenants.branding(tenant) : PLATFORM_BRANDING;
    };
  }
}
