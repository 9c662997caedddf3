import { join } from 'node:path';

// Lints source text as if it lived at a path inside the workspace, with the real config.
async function lint(relativePath: string, code: string) {
  const { ESLint } = await import('eslint');
  const eslint = new ESLint({ cwd: join(__dirname, '../..') });
  const [result] = await eslint.lintText(code, { filePath: join(__dirname, '../..', relativePath) });
  return result!.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries', () => {
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
});
