import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { openApiDocumentOf, type ServiceDefinition } from '@platform/runtime';

/**
 * The build step of the browser apps (run by `npm run build` after SWC):
 *  1. the OpenAPI documents of both services, made from their compiled modules without starting
 *     them (Nest's preview mode instantiates no provider: no database, no Kafka), written to
 *     libs/web/src/api/*.openapi.json (committed: the contract a review sees change). A change of
 *     an API rewrites them; with CI set the build fails instead when the committed ones are stale;
 *  2. their TypeScript types (libs/web/src/api/*.openapi.ts, generated, not committed) by
 *     tools/build/api-types.mjs, so `npm run typecheck` fails where the consoles no longer fit;
 *  3. `vite build` of every console (apps/console, apps/account) into dist/web/<folder>, which
 *     the authorization server serves (apps/authorization-server/src/web-apps).
 *
 *   node dist/tools/build/web.js [--types-only | --check]
 */

const root = resolve(__dirname, '../../..');
const dist = join(root, 'dist');

export const API_DOCUMENTS = [
  {
    service: 'identity-backend',
    module: 'apps/identity-backend/src/identity-backend',
    exportName: 'identityBackend',
    file: 'libs/web/src/api/identity-backend.openapi.json',
  },
  {
    service: 'authorization-server',
    module: 'apps/authorization-server/src/authorization-server',
    exportName: 'authorizationServer',
    file: 'libs/web/src/api/authorization-server.openapi.json',
  },
] as const;

/** Web apps built into dist/web/<folder>, served under /<folder>. */
export const WEB_APPS = [
  { dir: 'apps/console', folder: 'console' },
  { dir: 'apps/account', folder: 'account' },
] as const;

/** Only what config validation needs: nothing is connected in preview mode. */
const PREVIEW_ENV: NodeJS.ProcessEnv = {
  NODE_ENV: 'development',
  DATABASE_URL: 'postgres://preview:preview@127.0.0.1:9/preview',
};

/** The OpenAPI document a service serves at /api/docs, from the module tree at `modulePath`. */
export async function openApiDocument(definition: ServiceDefinition<never>): Promise<object> {
  const config = definition.loadConfig(PREVIEW_ENV);
  const app: INestApplication = await NestFactory.create(definition.rootModule(config), {
    preview: true,
    abortOnError: false,
    logger: false,
  });
  try {
    return openApiDocumentOf(app, definition);
  } finally {
    await app.close();
  }
}

/** A document as committed: two-space JSON and a final newline (prettier leaves it alone). */
export const documentText = (document: object): string => `${JSON.stringify(document, null, 2)}\n`;

async function generateDocuments(mode: 'write' | 'check'): Promise<string[]> {
  const stale: string[] = [];
  for (const api of API_DOCUMENTS) {
    const definition = (require(join(dist, api.module)) as Record<string, ServiceDefinition<never>>)[api.exportName]!;
    const text = documentText(await openApiDocument(definition));
    const file = join(root, api.file);
    const current = existsSync(file) ? await readFile(file, 'utf8') : '';
    if (current === text) continue;
    stale.push(api.file);
    if (mode === 'write') await writeFile(file, text);
  }
  return stale;
}

interface ApiTypesModule {
  writeApiTypes(root: string): Promise<string[]>;
}

/** The types from the documents: the source file (plain ESM), which typecheck also runs before any build. */
async function generateTypes(): Promise<void> {
  const { writeApiTypes } = (await import(join(root, 'tools/build/api-types.mjs'))) as ApiTypesModule;
  await writeApiTypes(root);
}

async function buildWebApps(): Promise<void> {
  const { build } = await import('vite');
  for (const app of WEB_APPS) {
    const dir = join(root, app.dir);
    if (!existsSync(join(dir, 'vite.config.mts'))) continue;
    await build({
      root: dir,
      configFile: join(dir, 'vite.config.mts'),
      logLevel: 'warn',
      build: { outDir: join(dist, 'web', app.folder), emptyOutDir: true },
    });
  }
}

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const check = args.has('--check') || process.env.CI === 'true';
  const stale = await generateDocuments(check ? 'check' : 'write');
  if (stale.length && check) {
    throw new Error(
      `OpenAPI documents out of date (the API changed): ${stale.join(', ')}. Run \`npm run -s build\` without CI=true and commit them.`,
    );
  }
  if (stale.length) console.log(`OpenAPI documents regenerated (the API changed): ${stale.join(', ')}`);
  await generateTypes();
  if (!args.has('--types-only')) await buildWebApps();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
