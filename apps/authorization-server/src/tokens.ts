/** The data-encryption keyring sealing private signing keys at rest. */
export const KEYRING = Symbol('KEYRING');

/** The validated configuration of this service. */
export const AUTHZ_CONFIG = Symbol('AUTHZ_CONFIG');

/** The identity backend's internal API client (IdentityInternalClient). */
export const IDENTITY_CLIENT = Symbol('IDENTITY_CLIENT');
