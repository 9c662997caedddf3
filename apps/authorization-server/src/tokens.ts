/** The data-encryption keyring sealing private signing keys at rest. */
export const KEYRING = Symbol('KEYRING');
/** The node-oidc-provider instance. */
export const OIDC_PROVIDER = Symbol('OIDC_PROVIDER');
