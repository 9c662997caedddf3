import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';

/** A desktop browser window. */
export const DESKTOP = { width: 1280, height: 720 };

/**
 * The admin console in Chromium for one suite: `open` starts a fresh browser context (a new
 * person, without cookies) with a page whose steps may take long, and collects what the pages
 * report that a suite fails on: Content-Security-Policy refusals and uncaught errors.
 */
export class ConsoleBrowser {
  readonly cspViolations: string[] = [];
  readonly pageErrors: string[] = [];
  private context?: BrowserContext;

  /** `chromium` is asked for at `open`: suites launch it in their beforeAll. */
  constructor(private readonly chromium: () => Browser) {}

  async open(options: BrowserContextOptions = { viewport: DESKTOP }): Promise<Page> {
    await this.context?.close();
    this.context = await this.chromium().newContext(options);
    // Generous: every step is a real page on a machine other suites keep busy.
    this.context.setDefaultTimeout(30_000);
    const page = await this.context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) this.cspViolations.push(message.text());
    });
    page.on('pageerror', (error) => this.pageErrors.push(error.message));
    return page;
  }

  async close(): Promise<void> {
    await this.context?.close();
  }
}

/**
 * Console sign-in at a tenant through the hosted login, changing a temporary password when
 * `newPassword` is given; `after` runs once the password, and then the new password, is submitted.
 */
export async function signInToConsole(
  page: Page,
  consoleUrl: string,
  account: { tenant: string; login: string; password: string; newPassword?: string },
  after?: (step: 'after-password' | 'after-password-change') => Promise<void>,
): Promise<void> {
  await page.goto(consoleUrl);
  await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 60_000 });
  await page.getByLabel('Tenant').fill(account.tenant);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/interaction/'), { timeout: 60_000 });
  await page.fill('#login', account.login);
  await page.fill('#password', account.password);
  await page.click('button[type=submit]');
  await after?.('after-password');
  if (account.newPassword) {
    await page.locator('#newPassword').waitFor({ timeout: 60_000 });
    await page.fill('#currentPassword', account.password);
    await page.fill('#newPassword', account.newPassword);
    await page.fill('#confirmPassword', account.newPassword);
    await page.click('button[type=submit]');
    await after?.('after-password-change');
  }
  await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 60_000 });
}
