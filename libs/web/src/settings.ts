/**
 * What a console needs to sign in, served by the authorization server as `<base>/config.json`
 * (apps/authorization-server/src/web-apps): nothing environment-specific is baked into the build.
 */
export interface WebAppSettings {
  issuer: string;
  clientId: string;
  /** Origin of the identity backend's API. */
  identityApiUrl: string;
  identityApiAudience: string;
  authzApiAudience: string;
  /** The tenant (slug) a sign-in goes to unless the user names another. */
  defaultTenant: string;
}

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
