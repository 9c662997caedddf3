import { Module } from '@nestjs/common';
import { FederatedCallbackController, InteractionsController } from './interactions.controller';
import { FederatedLogin } from './federated-login';
import { HostedAssetsController } from './hosted-assets.controller';
import { InteractionsService } from './interactions.service';
import { HostedTenants } from './hosted-tenants';
import { ConsentStep } from './steps/consent.step';
import { FederationStep } from './steps/federation.step';
import { LoginStep } from './steps/login.step';
import { MfaStep } from './steps/mfa.step';
import { PasswordChangeStep } from './steps/password-change.step';
import { RecoveryCodeStep } from './steps/recovery-code.step';
import { SignInCompletion } from './steps/sign-in-completion';
import { StepPages } from './steps/step-pages';

@Module({
  controllers: [FederatedCallbackController, InteractionsController, HostedAssetsController],
  providers: [
    InteractionsService,
    HostedTenants,
    FederatedLogin,
    StepPages,
    SignInCompletion,
    LoginStep,
    MfaStep,
    RecoveryCodeStep,
    PasswordChangeStep,
    ConsentStep,
    FederationStep,
  ],
})
export class InteractionsModule {}
