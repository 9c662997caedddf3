import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../../..');

/** Runs a built service binary the way an operator would. */
function runService(service: string, env: Record<string, string>, args: string[] = []) {
  const entry = join(root, 'dist/apps', service, 'src/main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" first`);
  return spawnSync(process.execPath, [entry, ...args], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe.each(['identity-backend', 'authorization-server'])('%s binary with bad configuration', (service) => {
  it('exits non-zero with one line naming PORT=abc, no stack trace', () => {
    const result = runService(service, { PORT: 'abc', DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `${service}: Invalid configuration: PORT must be an integer between 1 and 65535 (got "abc")`,
    ]);
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('exits non-zero with one line for a malformed DATABASE_URL, hiding its password', () => {
    const result = runService(service, { DATABASE_URL: 'postgres//admin:s3cret@db' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/DATABASE_URL must be a postgres:\/\//);
    expect(result.stderr).not.toContain('s3cret');
  });

  it('exits non-zero with one line when the database is unreachable', () => {
    const result = runService(service, { DATABASE_URL: 'postgres://u:p@127.0.0.1:9/db' }, ['migrate']);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(new RegExp(`^${service}: cannot start: .*ECONNREFUSED`));
  });

  it('rejects an unknown command', () => {
    const result = runService(service, { DATABASE_URL: 'postgres://u:p@127.0.0.1:9/db' }, ['frobnicate']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
  });
});
