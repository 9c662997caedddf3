import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal, type Principal } from '@platform/resource-server';
import { CreatedRoute, NoContentRoute, OkRoute } from '@platform/runtime';
import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import {
  DeletePasskeyCommand,
  FinishPasskeyRegistrationCommand,
  RenamePasskeyCommand,
  StartPasskeyRegistrationCommand,
} from './commands/passkey-registration.commands';
import { FinishPasskeyRegistrationDto, PasskeyView, RenamePasskeyDto } from './dto/passkey.dto';
import { ApiPasskeyErrors, PasskeyErrorCode as E } from './passkey-error';
import { ListPasskeysQuery } from './queries/list-passkeys.query';
import { NotWhileImpersonated } from '../impersonation/impersonation-guard';

const SIGNED_IN = { signedInUser: true } as const;

/** The signed-in user's passkeys (beside the rest of /api/v1/me): the token's subject and tenant scope every call. */
@ApiTags('me')
@ApiBearerAuth()
@Controller('api/v1/me/passkeys')
export class MyPasskeysController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Authorize(SIGNED_IN)
  @OkRoute('My passkeys: name, created, last used', { type: [PasskeyView] })
  @ApiPasskeyErrors()
  list(@CurrentPrincipal() me: Principal): Promise<PasskeyView[]> {
    return this.queries.execute(new ListPasskeysQuery(me.tenantId!, me.subject));
  }

  @Post('registration-options')
  @Authorize(SIGNED_IN)
  @CreatedRoute(
    {
      summary: 'Start enrolling a passkey: options for navigator.credentials.create()',
      description:
        'Discoverable credential and user verification required; my passkeys are excluded. The challenge is kept ' +
        'server-side for 5 minutes and can be answered once.',
    },
    { description: 'PublicKeyCredentialCreationOptionsJSON' },
  )
  @ApiPasskeyErrors(E.PasskeysDisabled)
  @NotWhileImpersonated('passkey enrolment')
  startRegistration(@CurrentPrincipal() me: Principal): Promise<PublicKeyCredentialCreationOptionsJSON> {
    return this.commands.execute(new StartPasskeyRegistrationCommand(me.tenantId!, me.subject));
  }

  @Post()
  @Authorize(SIGNED_IN)
  @CreatedRoute('Finish enrolling: the credential navigator.credentials.create() made, and its name', {
    type: PasskeyView,
  })
  @ApiPasskeyErrors(E.RegistrationFailed, E.AlreadyRegistered, E.PasskeysDisabled)
  @NotWhileImpersonated('passkey enrolment')
  async finishRegistration(
    @Body() dto: FinishPasskeyRegistrationDto,
    @CurrentPrincipal() me: Principal,
  ): Promise<PasskeyView> {
    const credential: RegistrationResponseJSON = {
      ...dto.credential,
      authenticatorAttachment: dto.credential.authenticatorAttachment,
    };
    return PasskeyView.of(
      await this.commands.execute(new FinishPasskeyRegistrationCommand(me.tenantId!, me.subject, dto.name, credential)),
    );
  }

  @Patch(':id')
  @Authorize(SIGNED_IN)
  @NoContentRoute('Rename one of my passkeys')
  @ApiPasskeyErrors(E.PasskeyNotFound)
  async rename(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RenamePasskeyDto,
    @CurrentPrincipal() me: Principal,
  ): Promise<void> {
    await this.commands.execute(new RenamePasskeyCommand(me.tenantId!, me.subject, id, dto.name));
  }

  @Delete(':id')
  @Authorize(SIGNED_IN)
  @NoContentRoute({
    summary: 'Remove one of my passkeys: it can no longer sign in',
    description:
      "Under the tenant policy `required-for-admins` an administrator's last passkey stays (409 `passkey_required`).",
  })
  @ApiPasskeyErrors(E.PasskeyNotFound, E.PasskeyRequired)
  @NotWhileImpersonated('passkey removal')
  async remove(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() me: Principal): Promise<void> {
    await this.commands.execute(new DeletePasskeyCommand(me.tenantId!, me.subject, id, me.subject));
  }
}
