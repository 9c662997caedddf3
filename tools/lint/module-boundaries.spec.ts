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

/** lint() of a file that imports `name` from `module` and exports it again. */
const lintImport = (relativePath: string, name: string, module: string) =>
  lint(relativePath, `import { ${name} } from '${module}';\nexport const x = ${name};\n`);

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
    const messages = await lintImport(
      'apps/identity-backend/src/cross-import.ts',
      'authorizationServer',
      '../../authorization-server/src/authorization-server',
    );
    expect(messages.join('\n')).toMatch(/authorization-server|project|boundar/i);
    expect(messages.length).toBeGreaterThan(0);
  });

  it.each([
    [
      'rejects authorization-server code importing identity code',
      'apps/authorization-server/src/cross-import.ts',
      '../../identity-backend/src/identity-backend',
    ],
    [
      'keeps shared libraries free of app imports',
      'libs/shared/config/src/uses-app.ts',
      '../../../../apps/identity-backend/src/identity-backend',
    ],
  ])('%s', async (_, relativePath, identityBackendModule) => {
    expect((await lintImport(relativePath, 'identityBackend', identityBackendModule)).length).toBeGreaterThan(0);
  });

  it('allows both apps to use the shared libraries through their aliases', async () => {
    expect(await lintImport('apps/identity-backend/src/uses-shared.ts', 'loadConfig', '@platform/config')).toEqual([]);
  });

  it('lets the end-to-end suites use only the contracts and the test harness', async () => {
    const refused = await lintImport('apps/platform-e2e/src/uses-runtime.int.ts', 'ApiError', '@platform/runtime');
    expect(refused.length).toBeGreaterThan(0);
    const allowed = await lint(
      'apps/platform-e2e/src/uses-harness.int.ts',
      "import { SECURITY_EVENT_SCHEMAS } from '@platform/contracts';\nimport { eventually } from '@platform/testing';\nexport const x = [SECURITY_EVENT_SCHEMAS, eventually];\n",
    );
    expect(allowed).toEqual([]);
  });
});
