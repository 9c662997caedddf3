import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, suiteFixture } from '@platform/testing';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, installed by tools/setup.sh (Playwright cannot download browsers here). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Gitignored; CI keeps it as the run's artefacts. */
export const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');

/**
 * Headless Chromium. Without the background-networking flags Chromium reaches out to Google
 * services at start-up, which a closed network refuses, and connections stall.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * The suite's Chromium, launched before its tests and closed after them (which closes every context
 * and page it opened). Call it before usePlatform(): hooks run in order, so the browser goes first.
 */
export const useChromium = (): Browser =>
  suiteFixture(
    () => launchChromium(),
    (browser) => browser.close(),
  );

/** Saves a full-page screenshot as test-artifacts/screenshots/<suite>/<NN-name>.png and returns its path. */
export function screenshotter(suite: string) {
  const dir = join(SCREENSHOTS, suite);
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (page: Page, name: string): Promise<string> => {
    const path = join(dir, `${String(++n).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
  };
}

/** A datetime-local field's value for the instant `ms`, in the page's time zone. */
export const localDateTime = (page: Page, ms: number): Promise<string> =>
  page.evaluate((instant) => {
    const local = new Date(instant);
    local.setMinutes(local.getMinutes() - local.getTimezoneOffset());
    return local.toISOString().slice(0, 16);
  }, ms);

/**
 * Waits for a page's state by polling `probe` (slowly enough for a busy machine); when it never
 * comes, a screenshot FAILED-<name> through `shot`, then the failure.
 */
export const waitsForState =
  (shot: (page: Page, name: string) => Promise<string>) =>
  async (page: Page, name: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> => {
    if (await eventually(probe, timeoutMs, 250)) return;
    await shot(page, `FAILED-${name}`);
    throw new Error(`${name}: not within ${timeoutMs} ms`);
  };
