export { CircuitBreaker, CircuitOpenError } from './circuit-breaker';
export { FakeIdentityInternalClient, type FakeIdentityProvider, type FakeUser } from './fake-identity-internal-client';
export { HttpIdentityInternalClient, type HttpIdentityInternalClientOptions } from './http-identity-internal-client';
// Test-only (Jest's expect): the internal API's contract, run against the real backend and the fake.
export * from './internal-contract.scenarios';
export * from './identity-internal';
export * from './passkeys';
export * from './impersonation';
export * from './authz-security-events';
export * from './account-pages';
export { COMMON_PROFILE_CLAIMS, STANDARD_SCOPE_CLAIMS } from './oidc-claims';
export * from './reserved-vocabulary';
export * from './platform-scopes';
export type { WebAppSettings } from './web-app-settings';
