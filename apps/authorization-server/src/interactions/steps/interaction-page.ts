import type { IncomingMessage } from 'node:http';
import type Provider from 'oidc-provider';
import type { PendingFederation } from '../federated-login';
import type { HostedTenant } from '../hosted-tenants';
import type { PageI18n, RenderedPage } from '../pages/layout';

/** Where oidc-provider sends the browser for a sign-in step (`interactions.url`); the controller's routes live under it. */
export const INTERACTION_PATH = '/interaction';
export const interactionUrl = (uid: string) => `${INTERACTION_PATH}/${uid}`;

/** oidc-provider's interaction, as @types/oidc-provider describes it. */
export type OidcInteraction = Awaited<ReturnType<Provider['interactionDetails']>>;
export type InteractionResult = Parameters<Provider['interactionFinished']>[2];

/** A page to send, or `null` when oidc-provider has already answered (a redirect back to /authorize). */
export type InteractionOutcome = RenderedPage | null;

export type Form = Record<string, unknown>;

/** A password check passed; the second factor is still due. Kept server-side in the interaction. */
export interface PendingMfa {
  userId: string;
  tenantId: string;
  methods: string[];
  /** A temporary password: replacing it is the step after the second factor. */
  mustChangePassword?: boolean;
  /** The first factor's amr when it was not the password: `['fed']` after an upstream sign-in (absent: `pwd`). */
  firstFactor?: string[];
}

/** Signed in with a temporary password, which must be replaced before the sign-in completes. */
export interface PendingPasswordChange {
  userId: string;
  tenantId: string;
  amr: string[];
}

/** What the hosted steps keep in the interaction's result between two requests. */
export interface PendingSteps {
  pendingMfa?: PendingMfa;
  pendingFederation?: PendingFederation;
  pendingPasswordChange?: PendingPasswordChange;
}

/** One request's view of an interaction: who asks (client, tenant), in which language and look. */
export interface InteractionPage {
  interaction: OidcInteraction;
  uid: string;
  clientId: string;
  tenantRef: string;
  tenant: HostedTenant;
  branding: HostedTenant['branding'];
  clientName: string;
  i18n: PageI18n;
  /**
   * What the page's language was chosen from (the switcher, ui_locales, Accept-Language): once the
   * user is known, StepPages.inUserLanguage adds their stored locale between ui_locales and the browser's.
   */
  languageSources?: { chosen: string | null; uiLocales?: string; acceptLanguage?: string };
}

/** The pending step state (our own keys of the interaction's result). */
export const pendingOf = (interaction: OidcInteraction): PendingSteps => (interaction.result ?? {}) as PendingSteps;

/** Keeps a pending step in the interaction (server-side), replacing any other. */
export async function keepPending(interaction: OidcInteraction, pending: PendingSteps): Promise<void> {
  interaction.result = { ...pending };
  await interaction.persist();
}

/** A string authorization parameter of the request (the provider keeps them as unknowns). */
export function paramOf(interaction: OidcInteraction, name: string): string | undefined {
  const value = interaction.params[name];
  return typeof value === 'string' ? value : undefined;
}

export const formString = (form: Form, field: string): string =>
  typeof form[field] === 'string' ? (form[field] as string) : '';

/** The end user's address as Express derives it (honouring TRUST_PROXY), else the socket's. */
export const clientIpOf = (req: IncomingMessage): string =>
  ((req as { ip?: string }).ip ?? req.socket.remoteAddress ?? 'unknown').slice(0, 64);

/** A plain redirect, for hops that leave the hosted pages (to an upstream IdP). */
export const redirectTo = (location: string): RenderedPage => ({
  status: 303,
  body: '',
  headers: { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
});
