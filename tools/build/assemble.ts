import { builtinModules } from 'node:module';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { copyFile, link, mkdir, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

/**
 * Assembles the production artifact of one service from SWC output: the compiled files
 * the service really reaches from its entry point (app + the shared libraries it uses,
 * aliases already rewritten to relative paths by SWC), a package.json and a pruned
 * package-lock.json that list only the production dependencies it needs, and those
 * dependencies copied (hard-linked when possible) from the workspace's node_modules,
 * exactly as `npm ci --omit=dev` would lay them out from that lockfile. The authorization
 * server's artifact also holds the built browser apps (`--web`: vite's output per app) in
 * web/<folder>, where it serves them at /<folder> (web-apps/: its default WEB_APPS_DIR).
 *
 *   node assemble.js --service identity-backend --compiled <swc out dir> --out <dir> [--copy]
 *   node assemble.js --service authorization-server --compiled <dir> --out <dir> --web <vite out dir>
 *
 * Called by tools/build/production.sh (locally, in the tests and in the Dockerfiles).
 */

export interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  license?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  [key: string]: unknown;
}

export interface Lockfile {
  name?: string;
  version?: string;
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

const MARKER = '.production-build';

/** The browser apps the authorization server serves (as tools/build/web.ts builds them): /console, /account. */
export const WEB_APP_FOLDERS = ['console', 'account'] as const;
const builtins = new Set(builtinModules);

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`; builtins → null. */
export function packageName(specifier: string): string | null {
  if (specifier.startsWith('node:') || builtins.has(specifier) || builtins.has(specifier.split('/')[0]!)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * Every compiled file reachable from `entry` through relative `require("...")` calls, and
 * the packages those files require (with the first file requiring each, for messages).
 */
export function collectModules(entry: string, root: string): { files: string[]; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/\brequire\((["'])([^"'\n]+)\1\)/g)) {
      const specifier = match[2]!;
      if (specifier.startsWith('.')) {
        const target = resolveRelative(dirname(file), specifier);
        if (!target) throw new Error(`${relative(root, file)}: cannot resolve require("${specifier}")`);
        if (relative(root, target).startsWith('..')) {
          throw new Error(`${relative(root, file)}: require("${specifier}") leaves the compiled tree`);
        }
        queue.push(target);
      } else {
        const name = packageName(specifier);
        if (name && !packages.has(name)) packages.set(name, relative(root, file));
      }
    }
  }
  return { files: [...files].sort(), packages };
}

function resolveRelative(from: string, specifier: string): string | null {
  const base = join(from, specifier);
  for (const candidate of [base, `${base}.js`, join(base, 'index.js')]) {
    if (statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
  }
  return null;
}

/** Where Node (and npm's lockfile) finds `name` when required from the package at `fromKey`. */
export function resolveInLock(lock: Lockfile, name: string, fromKey: string): string | null {
  let base = fromKey;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (base === '') return null;
    const at = base.lastIndexOf('node_modules/');
    base = base.slice(0, at).replace(/\/$/, '');
  }
}

/**
 * The lockfile entries a production install of `direct` needs: their dependencies,
 * optional dependencies that are installed, and peer dependencies — required peers
 * always, optional peers only when the workspace declares them as production
 * dependencies (e.g. `pg` for TypeORM, `@nestjs/platform-express` for Nest, both
 * loaded by name at run time, never required by our code directly).
 */
export function dependencyClosure(
  lock: Lockfile,
  direct: Iterable<string>,
  productionDependencies: Record<string, string>,
  installed: (key: string) => boolean,
): string[] {
  const keys = new Set<string>();
  const queue: { name: string; from: string; optional: boolean; requiredBy: string }[] = [...direct].map((name) => ({
    name,
    from: '',
    optional: false,
    requiredBy: 'package.json',
  }));
  while (queue.length > 0) {
    const { name, from, optional, requiredBy } = queue.shift()!;
    const key = resolveInLock(lock, name, from);
    if (!key || !installed(key)) {
      if (optional) continue;
      throw new Error(`${name} (needed by ${requiredBy}) is not installed: run "npm ci" first`);
    }
    if (keys.has(key)) continue;
    keys.add(key);
    const entry = lock.packages[key]!;
    for (const dep of Object.keys(entry.dependencies ?? {})) {
      queue.push({ name: dep, from: key, optional: false, requiredBy: key });
    }
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) {
      queue.push({ name: dep, from: key, optional: true, requiredBy: key });
    }
    for (const dep of Object.keys(entry.peerDependencies ?? {})) {
      const optionalPeer = entry.peerDependenciesMeta?.[dep]?.optional === true;
      if (optionalPeer && !(dep in productionDependencies)) continue;
      queue.push({ name: dep, from: key, optional: optionalPeer, requiredBy: key });
    }
  }
  return [...keys].sort();
}

/** A lockfile for the artifact alone: what `npm ci --omit=dev` would install from it. */
export function prunedLockfile(
  lock: Lockfile,
  keys: string[],
  root: { name: string; version: string; dependencies: Record<string, string> },
): Lockfile {
  const packages: Record<string, LockEntry> = { '': { ...root } };
  for (const key of keys) {
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = lock.packages[key]!;
    packages[key] = entry;
  }
  return { name: root.name, version: root.version, lockfileVersion: 3, packages };
}

/** Copies a package directory without its nested node_modules (those are entries of their own). */
async function copyTree(from: string, to: string, hardlink: boolean, top = true): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const dirent of await readdir(from, { withFileTypes: true })) {
    if (top && dirent.name === 'node_modules') continue;
    const source = join(from, dirent.name);
    const target = join(to, dirent.name);
    if (dirent.isDirectory()) {
      await copyTree(source, target, hardlink, false);
    } else if (dirent.isSymbolicLink()) {
      await symlink(await readlink(source), target);
    } else if (hardlink) {
      await link(source, target).catch(() => copyFile(source, target));
    } else {
      await copyFile(source, target);
    }
  }
}

async function prepareOutDir(out: string): Promise<void> {
  if (existsSync(out)) {
    const entries = await readdir(out);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new Error(`${out} exists and is not a previous production build: refusing to overwrite it`);
    }
    await rm(out, { recursive: true, force: true });
  }
  await mkdir(out, { recursive: true });
  await writeFile(join(out, MARKER), '');
}

export interface AssembleOptions {
  service: string;
  /** SWC output of apps/<service>/src, libs/shared and tools/build (directory layout preserved). */
  compiled: string;
  out: string;
  workspace: string;
  /** Copy dependency files instead of hard-linking them. */
  copy?: boolean;
  /** The built browser apps (<web>/<folder>/index.html); the authorization server only. */
  web?: string;
}

/**
 * Copies each built browser app from `web`/<folder> to `out`/web/<folder>, where the
 * authorization server's compiled web-apps/ finds them (four levels up from its directory).
 * A missing app fails the build: an artifact must not answer /console with "not built".
 */
export async function copyWebApps(web: string, out: string): Promise<string[]> {
  for (const folder of WEB_APP_FOLDERS) {
    if (!existsSync(join(web, folder, 'index.html'))) {
      throw new Error(`${join(web, folder)}/index.html not found: the ${folder} web app is not built`);
    }
  }
  for (const folder of WEB_APP_FOLDERS) await copyTree(join(web, folder), join(out, 'web', folder), false);
  return [...WEB_APP_FOLDERS];
}

export async function assemble(options: AssembleOptions) {
  const { service, compiled, out, workspace } = options;
  const entry = join(compiled, 'apps', service, 'src', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} not found: unknown service or not compiled`);
  if (options.web && service !== 'authorization-server') {
    throw new Error(`--web: only the authorization server serves the browser apps, not ${service}`);
  }
  const rootPackage = JSON.parse(await readFile(join(workspace, 'package.json'), 'utf8')) as {
    version: string;
    license?: string;
    engines?: Record<string, string>;
    dependencies: Record<string, string>;
  };
  const lock = JSON.parse(await readFile(join(workspace, 'package-lock.json'), 'utf8')) as Lockfile;

  const healthcheck = join(compiled, 'tools', 'build', 'healthcheck.js');
  const { files, packages } = collectModules(entry, compiled);
  for (const [name, requiredBy] of packages) {
    if (!(name in rootPackage.dependencies)) {
      throw new Error(`${requiredBy} requires "${name}", which is not a production dependency in package.json`);
    }
  }
  const direct = [...packages.keys()].sort();
  const keys = dependencyClosure(lock, direct, rootPackage.dependencies, (key) =>
    existsSync(join(workspace, key, 'package.json')),
  );

  await prepareOutDir(out);
  for (const file of files) {
    const target = join(out, relative(compiled, file));
    await mkdir(dirname(target), { recursive: true });
    await copyFile(file, target);
    if (existsSync(`${file}.map`)) await copyFile(`${file}.map`, `${target}.map`);
  }
  await writeFile(
    join(out, 'main.js'),
    `'use strict';\n// ${service} production entry point: node main.js serve | migrate\nrequire('./apps/${service}/src/main.js');\n`,
  );
  await copyFile(healthcheck, join(out, 'healthcheck.js'));

  // What our code requires, plus the production dependencies loaded by name at run time
  // (optional peers such as pg and @nestjs/platform-express) that the closure took in.
  const dependencies = Object.fromEntries(
    Object.entries(rootPackage.dependencies).filter(([name]) => keys.includes(`node_modules/${name}`)),
  );
  const manifest = {
    name: `@identity-platform/${service}`,
    version: rootPackage.version,
    private: true,
    license: rootPackage.license,
    engines: rootPackage.engines,
    main: 'main.js',
    scripts: { start: 'node main.js serve', migrate: 'node main.js migrate' },
    dependencies,
  };
  await writeFile(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const pruned = prunedLockfile(lock, keys, { name: manifest.name, version: manifest.version, dependencies });
  await writeFile(join(out, 'package-lock.json'), `${JSON.stringify(pruned, null, 2)}\n`);

  for (const key of keys) await copyTree(join(workspace, key), join(out, key), !options.copy);
  const webApps = options.web ? await copyWebApps(options.web, out) : [];
  const size = await directorySize(out);
  return { files: files.length, dependencies: Object.keys(dependencies), packages: keys.length, webApps, bytes: size };
}

async function directorySize(dir: string): Promise<number> {
  let total = 0;
  for (const dirent of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, dirent.name);
    if (dirent.isDirectory()) total += await directorySize(path);
    else if (dirent.isFile()) total += (await stat(path)).size;
  }
  return total;
}

function parseArgs(argv: string[]): AssembleOptions {
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const service = value('--service');
  const compiled = value('--compiled');
  const out = value('--out');
  const workspace = value('--workspace') ?? process.cwd();
  if (!service || !compiled || !out) {
    throw new Error(
      'usage: assemble --service <name> --compiled <dir> --out <dir> [--workspace <dir>] [--web <dir>] [--copy]',
    );
  }
  return { service, compiled, out, workspace, web: value('--web'), copy: argv.includes('--copy') };
}

if (require.main === module) {
  const options = parseArgs(process.argv.slice(2));
  assemble(options).then(
    (result) =>
      process.stderr.write(
        `[build] ${options.service}: ${result.files} compiled files, ${result.packages} packages ` +
          `(${result.dependencies.length} in package.json)` +
          (result.webApps.length ? `, web apps ${result.webApps.join(', ')}` : '') +
          `, ${(result.bytes / 1024 / 1024).toFixed(1)} MiB in ${options.out}\n`,
      ),
    (error: Error) => {
      process.stderr.write(`[build] ${options.service}: ${error.message}\n`);
      process.exit(1);
    },
  );
}
