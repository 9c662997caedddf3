export * from './locales';
export * from './i18n';
export type { Catalogue } from './catalogues/en';
export * from './templates';
