import type { Browser, BrowserContext, Page } from 'playwright-core';
import { REDIRECT } from './relying-party';

/**
 * A browser context of its own (its own cookies: another person's browser or computer) and its page,
 * with the relying party's redirect URI answered in place, for it is no real site. Playwright does not
 * route a redirect's next hop (the 303 to the app ends in ERR_NAME_NOT_RESOLVED, and Chromium's error
 * page reloads it a second later, routed then): tests read the code from the browser's request to
 * the app (authorizationResponse).
 */
export async function appBrowserContext(
  chromium: Browser,
  viewport: { width: number; height: number },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.newContext({ viewport });
  await context.route(`${new URL(REDIRECT).origin}/**`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/plain', body: 'back at the app' }),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return { context, page };
}
