import { FakeIdentityInternalClient, type InternalIdentityProvider } from '@platform/contracts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SecurityEvents } from '../../events/security-events';
import type { ClientTenants } from '../../oidc/client-tenants';
import type { OidcProviderHolder } from '../../oidc/oidc-provider.holder';
import type { ResourceServers } from '../../resource-servers/resource-servers';
import type { ClusterConfig } from '../../cluster/cluster-config';
import { ManualClock } from '@platform/runtime';
import { trustedDevicesUnderTest } from '../../devices/trusted-devices.spec-helper';
import type { PasswordPolicies } from '../../self-service/password-policies';
import { CsrfTokens } from '../csrf';
import { DeviceCookies } from '../device-cookies';
import type { FederatedLogin } from '../federated-login';
import { HostedTenants } from '../hosted-tenants';
import { NewDeviceAlerts } from '../new-device-alerts';
import { ENGLISH, pageI18n } from '../pages/layout';
import type { RenderedPage } from '../pages/layout';
import { ConsentStep } from './consent.step';
import { FederationStep } from './federation.step';
import type { InteractionPage, OidcInteraction, PendingSteps } from './interaction-page';
import { LoginStep } from './login.step';
import { MfaStep } from './mfa.step';
import { PasskeyStep } from './passkey.step';
import { PasswordChangeStep } from './password-change.step';
import { RecoveryCodeStep } from './recovery-code.step';
import { SignInCompletion } from './sign-in-completion';
import { StepPages } from './step-pages';

export const TENANT_ID = '00000000-0000-4000-8000-000000000001';
export const PASSWORD = 'correct horse battery staple';

/**
 * The step modules wired as in InteractionsModule, around the fake identity client and recording
 * stand-ins; `allowMfaBypass`: the tenant's allowMfaBypassOnTrustedDevice (trusted devices, 30 days).
 */
export function stepsUnderTest(options: { allowMfaBypass?: boolean } = {}) {
  const identity = new FakeIdentityInternalClient();
  identity.tenants.push({
    id: TENANT_ID,
    slug: 'acme',
    displayName: 'Acme',
    branding: { logoUrl: null, primaryColor: null },
    newDeviceAlerts: true,
    allowMfaBypassOnTrustedDevice: options.allowMfaBypass === true,
    trustDurationDays: 30,
  });
  identity.addUser({
    id: 'u-ada',
    tenantId: TENANT_ID,
    login: 'ada@acme.example',
    password: PASSWORD,
    claims: { email: 'ada@acme.example' },
  });
  identity.addUser({
    id: 'u-mfa',
    tenantId: TENANT_ID,
    login: 'mfa@acme.example',
    password: PASSWORD,
    totpCode: '123456',
  });
  identity.addUser({
    id: 'u-locked',
    tenantId: TENANT_ID,
    login: 'locked@acme.example',
    password: PASSWORD,
    locked: true,
  });

  const finished: unknown[] = [];
  const grants: { scopes: string[]; saved: boolean }[] = [];
  class Grant {
    readonly record = { scopes: [] as string[], saved: false };
    constructor() {
      grants.push(this.record);
    }
    static find = async () => undefined;
    addOIDCScope(scope: string) {
      this.record.scopes.push(scope);
    }
    addOIDCClaims(claims: string[]) {
      this.record.scopes.push(...claims.map((claim) => `claim:${claim}`));
    }
    addResourceScope(resource: string, scope: string) {
      this.record.scopes.push(`${resource}:${scope}`);
    }
    async save() {
      this.record.saved = true;
      return 'grant-1';
    }
  }
  const holder = {
    provider: {
      interactionFinished: async (_req: unknown, _res: unknown, result: unknown) => void finished.push(result),
      Grant,
      Client: { find: async () => ({ clientName: 'Acme App' }) },
    },
  } as unknown as OidcProviderHolder;
  const events: { type: string; data: Record<string, unknown> }[] = [];
  const security = {
    record: async (...recorded: typeof events) => void events.push(...recorded),
  } as unknown as SecurityEvents;
  const clientTenants = { of: async () => TENANT_ID } as unknown as ClientTenants;
  const idps: InternalIdentityProvider[] = [];
  const federation = {
    providers: async () => idps,
    start: async (p: InternalIdentityProvider, uid: string) => ({
      url: `https://idp.example/authorize?state=${uid}`,
      pending: { providerId: p.id, state: `${uid}.s`, nonce: 'n', verifier: 'v' },
    }),
    finish: async () => ({ subject: 'upstream-1', claims: {} }),
  } as unknown as FederatedLogin;
  const resourceServers = { find: async () => null } as unknown as ResourceServers;

  const csrf = new CsrfTokens([Buffer.alloc(32, 1)]);
  const devices = new DeviceCookies([Buffer.alloc(32, 2)], false);
  const policy = { minLength: 12, maxLength: 256, historySize: 5 };
  const passwordPolicies = { of: async () => policy } as unknown as PasswordPolicies;
  const pages = new StepPages(csrf, federation, identity, passwordPolicies);
  const cluster = { onChange: () => undefined } as unknown as ClusterConfig;
  const tenants = new HostedTenants(identity, cluster);
  const newDevices = new NewDeviceAlerts(identity, tenants, new ManualClock(0));
  const completion = new SignInCompletion(holder, devices, security, clientTenants, pages, newDevices);
  const trusted = trustedDevicesUnderTest(identity);
  const mfa = new MfaStep(identity, pages, completion, tenants, devices, trusted.service);
  return {
    identity,
    devices,
    finished,
    grants,
    events,
    idps,
    csrf,
    trusted,
    login: new LoginStep(identity, devices, pages, completion, mfa),
    mfa,
    recovery: new RecoveryCodeStep(pages, mfa),
    passkey: new PasskeyStep(identity, pages, completion, mfa),
    passwordChange: new PasswordChangeStep(identity, pages, completion),
    consent: new ConsentStep(holder, csrf, resourceServers, completion),
    federationStep: new FederationStep(identity, federation, pages, completion, mfa),
  };
}

/** An interaction at a prompt, as oidc-provider hands it over (only what the steps read). */
export function interactionPage(
  options: {
    prompt?: string;
    details?: object;
    result?: PendingSteps;
    accountId?: string;
    locale?: string;
    params?: Record<string, unknown>;
    allowMfaBypass?: boolean;
  } = {},
): InteractionPage & { persisted: PendingSteps[] } {
  const persisted: PendingSteps[] = [];
  const interaction = {
    uid: 'uid-1',
    params: { client_id: 'app-1', scope: 'openid', ...options.params },
    prompt: { name: options.prompt ?? 'login', reasons: [], details: options.details ?? {} },
    result: options.result as PendingSteps | undefined,
    session: options.accountId ? { accountId: options.accountId, uid: 's', cookie: 'c' } : undefined,
    async persist() {
      persisted.push({ ...interaction.result });
      return 'uid-1';
    },
  };
  const tenant = {
    slug: 'acme',
    branding: { name: 'Acme' },
    selfRegistration: true,
    newDeviceAlerts: true,
    trustedDevices: { allowMfaBypass: options.allowMfaBypass === true, days: 30 },
  };
  return {
    interaction: interaction as unknown as OidcInteraction,
    uid: 'uid-1',
    clientId: 'app-1',
    tenantRef: TENANT_ID,
    tenant,
    branding: tenant.branding,
    clientName: 'Acme App',
    i18n: options.locale ? pageI18n({ uiLocales: options.locale }) : ENGLISH,
    persisted,
  };
}

export const request = (headers: Record<string, string> = {}) =>
  ({ headers, url: '/interaction/uid-1', socket: { remoteAddress: '127.0.0.1' } }) as unknown as IncomingMessage;

export const response = () => {
  const cookies: string[] = [];
  return {
    cookies,
    appendHeader: (_name: string, value: string) => void cookies.push(value),
  } as unknown as ServerResponse & {
    cookies: string[];
  };
};

/** The alert text of a rendered page. */
export const alertOf = (page: RenderedPage | null) => page?.body.match(/role="alert">([^<]*)/)?.[1] ?? null;

/** What the browser's PublicKeyCredential#toJSON() posts; the fake identity client accepts signature `valid`. */
export const passkeyAssertion = (id: string, signature = 'valid') =>
  JSON.stringify({
    id,
    rawId: id,
    type: 'public-key',
    response: { clientDataJSON: 'Y2Q', authenticatorData: 'YWQ', signature, userHandle: 'dWg' },
    authenticatorAttachment: 'platform',
    clientExtensionResults: {},
    extra: 'dropped',
  });
