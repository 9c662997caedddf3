import nx from '@nx/eslint-plugin';
import jest from 'eslint-plugin-jest';
import prettier from 'eslint-config-prettier';

// Scopes: identity code and authz code never import each other; both (and tools)
// may use libs/shared/*, which depend only on each other; so do the end-to-end tests.
const LIBRARY_TYPES = [
  'type:util',
  'type:contracts',
  'type:security',
  'type:data-access',
  'type:infra',
  'type:runtime',
  'type:testing',
];
const boundaries = [
  { sourceTag: 'scope:identity', onlyDependOnLibsWithTags: ['scope:identity', 'scope:shared'] },
  { sourceTag: 'scope:authz', onlyDependOnLibsWithTags: ['scope:authz', 'scope:shared'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:shared'] },
  // End-to-end tests drive both services as built processes, over HTTP only.
  { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:shared'] },
  // Browser apps (the consoles) and their shared browser code: HTTP only, never a service's code;
  // the wire contract (@platform/contracts: the platform's scope and permission catalogue) is allowed.
  { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:web', 'type:contracts'] },
  // Kinds: apps may depend on libraries, libraries never on apps (or tests); the end-to-end suites
  // only on the wire contract and the test harness (which re-exports the few helpers they need).
  { sourceTag: 'type:app', notDependOnLibsWithTags: ['type:app', 'type:e2e'] },
  ...LIBRARY_TYPES.map((sourceTag) => ({ sourceTag, notDependOnLibsWithTags: ['type:app', 'type:e2e'] })),
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contracts', 'type:testing'] },
];

export default [
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.data/**',
      'coverage/**',
      '.nx/**',
      // Generated from the committed OpenAPI documents (tools/build/api-types.mjs); git ignores them too.
      'libs/web/src/api/*.openapi.ts',
    ],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints: boundaries },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Tests: nothing focused or skipped slips into a run, and every .resolves/.rejects is awaited.
    files: ['**/*.spec.ts', '**/*.int.ts', '**/*.spec.tsx'],
    plugins: { jest },
    rules: {
      'jest/no-focused-tests': 'error',
      'jest/no-disabled-tests': 'error',
      'jest/valid-expect': ['error', { alwaysAwait: true }],
    },
  },
  {
    // One error mechanism (DESIGN §6): features declare their codes with defineApiErrors.
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['libs/shared/runtime/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='ApiError']",
          message: "Declare the feature's codes with defineApiErrors (@platform/runtime) and throw that class.",
        },
      ],
    },
  },
  prettier,
];
