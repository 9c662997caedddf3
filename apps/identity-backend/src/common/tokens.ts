/** The validated configuration of this service, for providers that need a setting. */
export const IDENTITY_CONFIG = Symbol('IDENTITY_CONFIG');
