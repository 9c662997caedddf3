import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../..');

// Lints source text as if it lived at a path inside the workspace, with the real config.
async function lint(relativePath: string, code: string) {
  const { ESLint } = await import('eslint');
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: join(root, relativePath) });
  return result!.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries', () => {
  // The rule reads Nx's cached project graph and, without one (a fresh clone where `npm run lint`,
  // which makes it, has not run yet), skips itself with a warning: every refusal below would fail.
  beforeAll(() => {
    execFileSync(process.execPath, [require.resolve('nx/bin/nx.js'), 'show', 'projects'], {
      cwd: root,
      stdio: 'ignore',
      env: { ...process.env, NX_DAEMON: 'false' },
    });
  });

  it('rejects identity code importing authorization-server code', async () => {
    const messages = await lint(
      'apps/identity-backend/src/cross-import.ts',
      "import { authorizationServer } from '../../authorization-server/src/authorization-server';\nexport const x = authorizationServer;\n",
    );
    expect(messages.join('\n')).toMatch(/authorization-server|project|boundar/i);
    expect(messages.length).toBeGreaterThan(0);
  });

  it('rejects authorization-server code importing identity code', async () => {
    const messages = await lint(
      'apps/authorization-server/src/cross-import.ts',
      "import { identityBackend } from '../../identity-backend/src/identity-backend';\nexport const x = identityBackend;\n",
    );
    expect(messages.length).toBeGreaterThan(0);
  });

  it('allows both apps to use the shared libraries through their aliases', async () => {
    const messages = await lint(
      'apps/identity-backend/src/uses-shared.ts',
      "import { loadConfig } from '@platform/config';\nexport const x = loadConfig;\n",
    );
    expect(messages).toEqual([]);
  });

  it('keeps shared libraries free of app imports', async () => {
    const messages = await lint(
      'libs/shared/config/src/uses-app.ts',
      "import { identityBackend } from '../../../../apps/identity-backend/src/identity-backend';\nexport const x = identityBackend;\n",
    );
    expect(messages.length).toBeGreaterThan(0);
  });

  it('lets the end-to-end suites use only the contracts and the test harness', async () => {
    const refused = await lint(
      'apps/platform-e2e/src/uses-runtime.int.ts',
      "import { ApiError } from '@platform/runtime';\nexport const x = ApiError;\n",
    );
    expect(refused.length).toBeGreaterThan(0);
    const allowed = await lint(
      'apps/platform-e2e/src/uses-harness.int.ts',
      "import { SECURITY_EVENT_SCHEMAS } from '@platform/contracts';\nimport { eventually } from '@platform/testing';\nexport const x = [SECURITY_EVENT_SCHEMAS, eventually];\n",
    );
    expect(allowed).toEqual([]);
  });
});
