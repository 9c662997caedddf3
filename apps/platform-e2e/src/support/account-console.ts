import type { Page } from 'playwright-core';

/** Opens the account console signed out for `tenant`, signs in on the hosted login page, and waits for the profile. */
export async function signInToAccountConsole(
  page: Page,
  issuer: string,
  tenant: string,
  credentials: { login: string; password: string },
): Promise<void> {
  await page.goto(`${issuer}/account/?tenant=${tenant}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#login').waitFor();
  await page.fill('#login', credentials.login);
  await page.fill('#password', credentials.password);
  await page.click('button[type=submit]');
  await page.getByRole('heading', { level: 2, name: 'Profile' }).waitFor({ timeout: 60_000 });
}
