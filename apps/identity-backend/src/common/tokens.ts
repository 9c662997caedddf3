/** The validated configuration of this service, for providers that need a setting. */
export const IDENTITY_CONFIG = Symbol('IDENTITY_CONFIG');

/** The data-encryption keyring (a @platform/crypto Keyring) sealing secrets at rest. */
export const KEYRING = Symbol('KEYRING');
