export * from './api';
export * from './app-header';
export * from './errors';
export * from './oidc';
export * from './settings';
export * from './session-gate';
export * from './session-provider';
export * from './use-load';
