import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';

const services = ['intake', 'case', 'escalation', 'spares', 'survey', 'notify'];
const TESTING_ONLY = { name: '@aftersales/testing', message: 'test support is for tests only' };

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.data/**', '.nx/**', 'deploy/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      // services meet only on the bus: a service may use libs/, never another service
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            ...services.map((s) => ({ sourceTag: `service:${s}`, onlyDependOnLibsWithTags: ['scope:shared', `service:${s}`] })),
            { sourceTag: 'scope:app', onlyDependOnLibsWithTags: ['scope:shared', 'scope:service'] },
            // layers among the libs: pure types and rules, then infrastructure, then test support
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'] },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:domain', 'type:infra'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:infra', 'type:testing'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    // a promise nobody awaits loses its error (timers and handlers are full of them): typed linting on shipped code
    files: ['services/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // the recommendedTypeChecked rules this code already keeps; the no-unsafe-* family (untyped
      // query() rows), require-await, unbound-method and a few more are not on yet (issue 19)
      '@typescript-eslint/no-array-delete': 'error',
      '@typescript-eslint/no-duplicate-type-constituents': 'error',
      '@typescript-eslint/no-for-in-array': 'error',
      'no-implied-eval': 'off',
      '@typescript-eslint/no-implied-eval': 'error',
      '@typescript-eslint/no-redundant-type-constituents': 'error',
      '@typescript-eslint/no-unsafe-enum-comparison': 'error',
      '@typescript-eslint/no-unsafe-unary-minus': 'error',
      'no-throw-literal': 'off',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/restrict-plus-operands': 'error',
    },
  },
  {
    // test support stays out of what ships
    files: ['services/*/src/**/*.ts', 'libs/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
    ignores: ['libs/testing/**', '**/*.spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [TESTING_ONLY] }],
    },
  },
  {
    // a service's domain rules are plain TypeScript: no framework, no database
    files: ['services/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [TESTING_ONLY],
          patterns: [
            { group: ['@nestjs/*'], message: 'domain/ is plain TypeScript: no Nest (keep it in the handlers and controllers)' },
            { group: ['typeorm', 'typeorm/*', 'pg', 'pg-*'], message: 'domain/ does not touch the database (repositories do)' },
            {
              group: ['@aftersales/messaging', '@aftersales/persistence', '@aftersales/platform'],
              message: 'domain/ needs no infrastructure',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts', 'libs/testing/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
