export { isKeyringSpec, Keyring } from './keyring';
export { sha256Hex, randomToken } from './tokens';
