import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The monorepo root (the directory holding nx.json), from source or from dist/. */
export function workspaceRoot(from: string = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
  }
  throw new Error(`No nx.json above ${from}`);
}
