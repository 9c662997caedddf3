import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
// eslint-disable-next-line @nx/enforce-module-boundaries -- loaded by Jest's globalSetup, outside the alias mapper
import { workspaceRoot } from '../../local-infra/src/workspace-root';

export interface SmtpTestServer {
  smtpUrl: string;
  mailApi: string;
  stop(): Promise<void>;
}

/** Starts tools/smtp-test-server in a child process and waits until it listens. */
export async function startSmtpTestServer(): Promise<SmtpTestServer> {
  const child = spawn(process.execPath, [`${workspaceRoot(__dirname)}/tools/smtp-test-server/server.js`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`SMTP test server exited with ${code}`)));
  });
  const { smtpPort, httpPort } = JSON.parse(firstLine) as { smtpPort: number; httpPort: number };
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    mailApi: `http://127.0.0.1:${httpPort}`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
