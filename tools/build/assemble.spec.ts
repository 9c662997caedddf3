import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  collectModules,
  copyWebApps,
  dependencyClosure,
  packageName,
  prunedLockfile,
  resolveInLock,
  type Lockfile,
} from './assemble';

const lock: Lockfile = {
  lockfileVersion: 3,
  packages: {
    '': { dependencies: { app: '1.0.0', orm: '1.0.0', pg: '8.0.0' } },
    'node_modules/app': { version: '1.0.0', dependencies: { shared: '^2', nested: '^1' } },
    'node_modules/app/node_modules/nested': { version: '1.0.0', dependencies: { shared: '^2' } },
    'node_modules/shared': { version: '2.0.0' },
    'node_modules/nested': { version: '3.0.0', dev: true },
    'node_modules/orm': {
      version: '1.0.0',
      optionalDependencies: { 'fast-path': '^1', 'other-os': '^1' },
      peerDependencies: { pg: '^8', mysql: '^3', 'ts-node': '^10', required: '^1' },
      peerDependenciesMeta: { pg: { optional: true }, mysql: { optional: true }, 'ts-node': { optional: true } },
    },
    'node_modules/fast-path': { version: '1.0.0', optional: true },
    'node_modules/other-os': { version: '1.0.0', optional: true },
    'node_modules/pg': { version: '8.0.0' },
    'node_modules/mysql': { version: '3.0.0', dev: true },
    'node_modules/ts-node': { version: '10.0.0', dev: true },
    'node_modules/required': { version: '1.0.0', peer: true },
    'node_modules/unused': { version: '1.0.0' },
  },
};
const installed = (key: string) => !key.endsWith('other-os');

describe('production dependency closure', () => {
  it('maps specifiers to package names and skips Node built-ins', () => {
    expect(packageName('@nestjs/core/injector')).toBe('@nestjs/core');
    expect(packageName('typeorm/browser')).toBe('typeorm');
    expect(packageName('node:fs')).toBeNull();
    expect(packageName('fs/promises')).toBeNull();
  });

  it('resolves like Node does: nested copies first, then up the tree', () => {
    expect(resolveInLock(lock, 'nested', 'node_modules/app')).toBe('node_modules/app/node_modules/nested');
    expect(resolveInLock(lock, 'shared', 'node_modules/app/node_modules/nested')).toBe('node_modules/shared');
    expect(resolveInLock(lock, 'nested', '')).toBe('node_modules/nested');
    expect(resolveInLock(lock, 'absent', 'node_modules/app')).toBeNull();
  });

  it('takes dependencies, installed optionals, required peers and optional peers the workspace ships', () => {
    const keys = dependencyClosure(lock, ['app', 'orm'], { app: '1', orm: '1', pg: '8' }, installed);
    expect(keys).toEqual([
      'node_modules/app',
      'node_modules/app/node_modules/nested',
      'node_modules/fast-path',
      'node_modules/orm',
      'node_modules/pg',
      'node_modules/required',
      'node_modules/shared',
    ]);
  });

  it('fails on a missing required dependency', () => {
    expect(() => dependencyClosure(lock, ['app', 'absent'], {}, installed)).toThrow(/absent .*not installed/);
  });

  it('writes a lockfile without dev/peer flags, rooted at the artifact', () => {
    const pruned = prunedLockfile(lock, ['node_modules/required', 'node_modules/nested'], {
      name: 'svc',
      version: '1.0.0',
      dependencies: { required: '1.0.0' },
    });
    expect(pruned.packages['']).toEqual({ name: 'svc', version: '1.0.0', dependencies: { required: '1.0.0' } });
    expect(pruned.packages['node_modules/required']).toEqual({ version: '1.0.0' });
    expect(pruned.packages['node_modules/nested']).toEqual({ version: '3.0.0' });
  });
});

describe('compiled module walk', () => {
  const root = mkdtempSync(join(tmpdir(), 'assemble-'));
  const write = (path: string, source: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), source);
  };

  it('follows relative requires (files and index.js of directories) and collects packages', () => {
    write('apps/svc/src/main.js', 'require("reflect-metadata"); const _l = require("../../../libs/x/src");');
    write('libs/x/src/index.js', 'const a = require("./a"); const fs = require("node:fs");');
    write('libs/x/src/a.js', 'require("@nestjs/core/injector"); require("./index");');
    write('libs/x/src/unused.js', 'require("never")');
    const { files, packages } = collectModules(join(root, 'apps/svc/src/main.js'), root);
    expect(files.map((f) => f.slice(root.length + 1))).toEqual([
      'apps/svc/src/main.js',
      'libs/x/src/a.js',
      'libs/x/src/index.js',
    ]);
    expect([...packages.keys()].sort()).toEqual(['@nestjs/core', 'reflect-metadata']);
  });

  it('refuses an unresolvable relative require', () => {
    write('apps/bad/src/main.js', 'require("./missing")');
    expect(() => collectModules(join(root, 'apps/bad/src/main.js'), root)).toThrow(/cannot resolve/);
  });
});

describe('browser apps in the authorization server artifact', () => {
  const web = mkdtempSync(join(tmpdir(), 'assemble-web-'));
  for (const app of ['console', 'account']) {
    mkdirSync(join(web, app, 'assets'), { recursive: true });
    writeFileSync(join(web, app, 'index.html'), `<title>${app}</title>`);
    writeFileSync(join(web, app, 'assets', 'index-abc123.js'), `/* ${app} */`);
  }

  it('copies every built app to web/<folder>, where the server serves it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'assemble-out-'));
    await expect(copyWebApps(web, out)).resolves.toEqual(['console', 'account']);
    expect(readFileSync(join(out, 'web/console/index.html'), 'utf8')).toBe('<title>console</title>');
    expect(readFileSync(join(out, 'web/account/assets/index-abc123.js'), 'utf8')).toBe('/* account */');
  });

  it('fails, copying nothing, when an app is not built', async () => {
    rmSync(join(web, 'account', 'index.html'));
    const out = mkdtempSync(join(tmpdir(), 'assemble-out-'));
    await expect(copyWebApps(web, out)).rejects.toThrow(/the account web app is not built/);
    expect(existsSync(join(out, 'web'))).toBe(false);
  });
});
