import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '../..');
const validate = join(root, 'tools/docker/validate.sh');

/** docker/docker-compose.yml loads and validates as `docker compose config` would (no Docker engine here). */
describe('docker compose file', () => {
  const work = mkdtempSync(join(tmpdir(), 'idp-compose-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('is valid against the compose specification with docker/.env.example', async () => {
    const { stdout } = await run('bash', [validate], { cwd: root });
    expect(stdout).toContain('6 services valid');
  }, 300_000);

  it('fails on an unknown key, a wrong depends_on condition, and a missing required variable', async () => {
    const original = readFileSync(join(root, 'docker/docker-compose.yml'), 'utf8');
    const broken = join(work, 'docker-compose.yml');
    const check = async (compose: string, envFile = join(root, 'docker/.env.example')) => {
      writeFileSync(broken, compose);
      try {
        await run('bash', [validate, broken, envFile]);
        return '';
      } catch (error) {
        return (error as { stderr: string }).stderr;
      }
    };
    try {
      expect(await check(original.replace('command: [migrate]', 'comand: [migrate]'))).toMatch(/comand/);
      expect(await check(original.replace(/service_completed_successfully/g, 'service_done'))).toMatch(
        /condition value must be one of/,
      );
      const env = join(work, 'partial.env');
      writeFileSync(
        env,
        readFileSync(join(root, 'docker/.env.example'), 'utf8').replace(/^POSTGRES_PASSWORD=.*$/m, ''),
      );
      expect(await check(original, env)).toMatch(/required variable POSTGRES_PASSWORD is missing/);
    } finally {
      rmSync(broken, { force: true });
    }
  }, 60_000);
});
