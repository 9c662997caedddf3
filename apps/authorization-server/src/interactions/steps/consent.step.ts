import { Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OidcProviderHolder } from '../../oidc/oidc-provider.holder';
import { ResourceServers } from '../../resource-servers/resource-servers';
import { describeAccess, requestedResources } from '../access-request';
import { CsrfTokens } from '../csrf';
import type { RenderedPage } from '../pages/layout';
import { consentPage } from '../pages/pages';
import { type InteractionOutcome, type InteractionPage, interactionUrl } from './interaction-page';
import { SignInCompletion } from './sign-in-completion';

/** What oidc-provider's consent prompt says is missing (its details are untyped in @types/oidc-provider). */
interface ConsentDetails {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
}

const detailsOf = (page: InteractionPage) => page.interaction.prompt.details as ConsentDetails;

/** The consent step: names the client, each API and each scope being granted (DESIGN §7), then records the grant. */
@Injectable()
export class ConsentStep {
  constructor(
    private readonly oidc: OidcProviderHolder,
    private readonly csrf: CsrfTokens,
    private readonly resourceServers: ResourceServers,
    private readonly completion: SignInCompletion,
  ) {}

  async show(page: InteractionPage): Promise<RenderedPage> {
    const { uid, interaction } = page;
    const details = detailsOf(page);
    const missing = details.missingResourceScopes ?? {};
    const resources = Object.fromEntries(
      requestedResources(interaction.params.resource).map((r) => [r, missing[r] ?? []]),
    );
    const access = await describeAccess((id) => this.resourceServers.find(id), details.missingOIDCScope ?? [], {
      ...resources,
      ...missing,
    });
    return consentPage({
      ...page,
      access,
      action: `${interactionUrl(uid)}/consent`,
      abortAction: `${interactionUrl(uid)}/abort`,
      csrf: this.csrf.issue(uid),
    });
  }

  async submit(req: IncomingMessage, res: ServerResponse, page: InteractionPage, accountId: string): Promise<null> {
    const { interaction } = page;
    const { Grant } = this.oidc.provider;
    const details = detailsOf(page);
    const grant =
      (interaction.grantId ? await Grant.find(interaction.grantId) : undefined) ??
      new Grant({ accountId, clientId: page.clientId });
    if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
    if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
      grant.addResourceScope(resource, scopes.join(' '));
    }
    const grantId = await grant.save();
    return this.completion.finish(req, res, { consent: interaction.grantId ? {} : { grantId } }, true);
  }

  /** "Deny": back to the client with access_denied. */
  abort(req: IncomingMessage, res: ServerResponse): Promise<InteractionOutcome> {
    return this.completion.finish(req, res, {
      error: 'access_denied',
      error_description: 'The user declined the request',
    });
  }
}
