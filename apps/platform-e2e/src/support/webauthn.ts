import type { Page, Request } from 'playwright-core';
import { REDIRECT } from './relying-party';

// The authenticator itself is shared with the identity backend's passkey suite.
export { addPlatformAuthenticator, type VirtualCredential } from '@platform/testing';

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
