import type { WebAppSettings } from '@platform/contracts';

export type { WebAppSettings };

/** The app's base path as Vite built it (e.g. `/console/`), always with a trailing slash. */
export const basePath = (): string => {
  const base = import.meta.env.BASE_URL;
  return base.endsWith('/') ? base : `${base}/`;
};

export async function loadSettings(): Promise<WebAppSettings> {
  const res = await fetch(`${basePath()}config.json`, { cache: 'no-cache' });
  if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
  return (await res.json()) as WebAppSettings;
}
