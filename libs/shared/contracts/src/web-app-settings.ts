/**
 * What a console needs to sign in, served by the authorization server as `<base>/config.json`
 * (apps/authorization-server/src/web-apps) and read by the consoles at start-up (libs/web):
 * nothing environment-specific is baked into the build.
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
