/** The data-encryption keyring sealing private signing keys at rest. */
export const KEYRING = Symbol('KEYRING');
