export * from './locales';
export * from './i18n';
export { type Catalogue, en as englishCatalogue } from './catalogues/en';
export * from './templates';
