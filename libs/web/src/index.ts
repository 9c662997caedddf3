export * from './api';
export * from './errors';
export * from './oidc';
export * from './settings';
export * from './session-provider';
