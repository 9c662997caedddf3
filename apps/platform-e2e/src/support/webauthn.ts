import type { CDPSession, Page, Request } from 'playwright-core';
import { REDIRECT } from './relying-party';

/** A credential as Chromium's virtual authenticator exports and imports it (CDP WebAuthn.Credential). */
export interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  /** The private key (PKCS#8, base64): whoever holds it can make the same passkey's signatures. */
  privateKey: string;
  userHandle?: string;
  signCount: number;
}

/**
 * A platform authenticator with user verification, as a laptop's fingerprint reader is; presence
 * is automatic. With `credential`, it holds that passkey (a copy of another authenticator's).
 */
export async function addPlatformAuthenticator(session: CDPSession, credential?: VirtualCredential): Promise<string> {
  const { authenticatorId } = await session.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  if (credential) await session.send('WebAuthn.addCredential', { authenticatorId, credential });
  return authenticatorId;
}

/**
 * The main frame's request to the app's redirect URI answering the authorization request with this
 * `state`. Read from the request, not the page, which the browser first fails to load (the redirect
 * URI is no real site; the suites answer it with a route) and reloads a second later: a reload of an
 * earlier answer, seen while this one is under way, is not this answer.
 */
export const isAuthorizationResponse = (page: Page, request: Request, state: string): boolean =>
  request.isNavigationRequest() &&
  request.frame() === page.mainFrame() &&
  request.url().startsWith(REDIRECT) &&
  new URL(request.url()).searchParams.get('state') === state;

/** The authorization response (see isAuthorizationResponse), while `action` leads there. */
export const authorizationResponse = (page: Page, state: string, action: () => Promise<unknown>): Promise<string> =>
  Promise.all([
    page.waitForRequest((r) => isAuthorizationResponse(page, r, state), { timeout: 60_000 }),
    action(),
  ]).then(([request]) => request.url());
