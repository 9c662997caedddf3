import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PendingFederation } from './federated-login';

/** What oidc-provider's Interaction carries, as far as the hosted pages use it. */
export interface OidcInteraction {
  uid: string;
  exp: number;
  prompt: {
    name: 'login' | 'consent' | string;
    reasons: string[];
    details: {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
  };
  params: Record<string, string | undefined> & { client_id: string };
  session?: { accountId: string };
  grantId?: string;
  result?: {
    pendingMfa?: PendingMfa;
    pendingFederation?: PendingFederation;
    pendingPasswordChange?: PendingPasswordChange;
  };
  persist(): Promise<unknown>;
}

/** A password check passed; the second factor is still due. Kept server-side in the interaction. */
export interface PendingMfa {
  userId: string;
  tenantId: string;
  methods: string[];
  /** A temporary password: replacing it is the step after the second factor. */
  mustChangePassword?: boolean;
}

/** Signed in with a temporary password, which must be replaced before the sign-in completes. */
export interface PendingPasswordChange {
  userId: string;
  tenantId: string;
  amr: string[];
}

export interface OidcGrant {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  addResourceScope(resource: string, scope: string): void;
  save(): Promise<string>;
}

export type InteractionResult =
  | { login: { accountId: string; amr?: string[]; acr?: string; remember?: boolean } }
  | { consent: { grantId?: string } }
  | { error: string; error_description?: string };

/** The interaction API of a node-oidc-provider instance. */
export interface InteractionProvider {
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<OidcInteraction>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: InteractionResult,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  Grant: { new (init: { accountId: string; clientId: string }): OidcGrant; find(id: string): Promise<OidcGrant> };
  Client: { find(id: string): Promise<{ clientName?: string; clientId: string; redirectUris: string[] } | undefined> };
}
