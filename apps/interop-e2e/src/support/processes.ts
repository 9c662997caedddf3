import { workspaceRoot } from '@platform/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where tools/interop/install.sh puts the pinned third-party software. */
export const INTEROP_CACHE = join(
  process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? '/root', '.cache'),
  'identity-platform',
  'interop',
);
export const ARTEFACTS = join(workspaceRoot(), 'test-artifacts', 'interop');

export interface ThirdParty {
  /** Everything the process printed so far (stdout and stderr), for assertions and failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * A third-party program as a child process; `ready` polls until it serves (or fails with its own
 * output when it exits or stays silent). stop() is SIGTERM, then SIGKILL after 5 s, and keeps the
 * output as test-artifacts/interop/<name>.log.
 */
export async function startThirdParty(
  name: string,
  command: string,
  args: string[],
  options: { env?: Record<string, string>; ready: () => Promise<boolean>; timeoutMs?: number },
): Promise<ThirdParty> {
  const child: ChildProcess = spawn(command, args, {
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/root', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    mkdirSync(ARTEFACTS, { recursive: true });
    writeFileSync(join(ARTEFACTS, `${name}.log`), output);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output.slice(-3000)}`);
    if (await options.ready().catch(() => false)) return { output: () => output, stop };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`${name} did not come up:\n${output.slice(-3000)}`);
}

/** Resolves once `url` answers at all (any status). */
export const answers = (url: string) => async () => (await fetch(url, { redirect: 'manual' })).status > 0;

/** A tiny upstream that answers every request with the request headers it received, as JSON. */
export async function startEchoServer(): Promise<{ url: string; seen: IncomingHttpHeaders[]; stop(): Promise<void> }> {
  const seen: IncomingHttpHeaders[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req.headers);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ path: req.url, headers: req.headers }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Debian's Chromium, headless, without the background networking a closed network stalls on. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}

/** Full-page screenshots as test-artifacts/interop/<suite>/<NN-name>.png. */
export function screenshotter(suite: string) {
  const dir = join(ARTEFACTS, suite);
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return (page: Page, name: string) =>
    page.screenshot({ path: join(dir, `${String(++n).padStart(2, '0')}-${name}.png`), fullPage: true });
}

/**
 * A person on our hosted pages: the login form (and the consent page when one shows), until
 * `done` (by default: the browser has left the issuer).
 */
export async function signInOnHostedPages(
  page: Page,
  issuer: string,
  login: string,
  password: string,
  done: () => Promise<boolean> = async () => new URL(page.url()).origin !== new URL(issuer).origin,
) {
  await page.waitForURL((url) => url.origin === new URL(issuer).origin && url.pathname.startsWith('/interaction/'), {
    timeout: 20_000,
  });
  await page.fill('#login', login);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  const allow = page.locator('button:has-text("Allow")');
  for (const deadline = Date.now() + 20_000; !(await done().catch(() => false));) {
    if (Date.now() > deadline) throw new Error(`still on the hosted pages at ${page.url()}`);
    if (await allow.isVisible().catch(() => false)) await allow.click();
    await page.waitForTimeout(200);
  }
}
