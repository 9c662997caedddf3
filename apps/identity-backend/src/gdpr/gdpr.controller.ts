import { Controller, Get, Header, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiResponse } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal, type Principal, ScopedTenant } from '@platform/resource-server';
import { NoContentRoute, OkRoute } from '@platform/runtime';
import { Access } from '../common/access';
import { ApiErrors, Refusal } from '../common/api-responses';
import { TenantScopedApi } from '../common/tenant-scoped-api';
import { EraseUserCommand, ExportPersonalDataQuery, type PersonalDataExport } from './gdpr.commands';

@TenantScopedApi('gdpr')
@Controller('api/v1')
export class GdprController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('users/:id/export')
  @OkRoute("Export a user's personal data", { description: 'All personal data held about the user (GDPR art. 15/20)' })
  @ApiErrors(Refusal.noBearerToken, Refusal.bearerLacksAccess, Refusal.userNotFound)
  @Authorize(Access.usersRead)
  export(@Param('id', ParseUUIDPipe) id: string, @ScopedTenant() tenantId: string): Promise<PersonalDataExport> {
    return this.queries.execute(new ExportPersonalDataQuery(tenantId, id));
  }

  @Get('me/export')
  @Authorize({ signedInUser: true })
  @OkRoute('Download all personal data held about me (GDPR art. 15/20), as a JSON file', {
    description: 'All personal data held about me',
  })
  @Header('Content-Disposition', 'attachment; filename="personal-data.json"')
  @ApiResponse({ status: 401, description: 'No valid bearer token (`invalid_token`)' })
  @ApiResponse({ status: 404, description: '`user_not_found`' })
  exportMine(@CurrentPrincipal() me: Principal): Promise<PersonalDataExport> {
    return this.queries.execute(new ExportPersonalDataQuery(me.tenantId!, me.subject));
  }

  @Post('users/:id/erase')
  @NoContentRoute(
    "Erase a user's personal data",
    'Erases personal data and credentials; the pseudonymous id stays for the audit trail',
  )
  @ApiErrors(Refusal.validationFailed, Refusal.noBearerToken, Refusal.bearerLacksAccess, Refusal.userNotFound)
  @Authorize(Access.usersWrite)
  async erase(
    @Param('id', ParseUUIDPipe) id: string,
    @ScopedTenant() tenantId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.commands.execute(new EraseUserCommand(tenantId, id, principal.subject));
  }
}
