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
    // typed linting everywhere TypeScript runs in Node: a promise nobody awaits loses its error (timers
    // and handlers are full of them), and raw rows typed `any` hide a wrong column until production
    files: ['services/*/{src,test}/**/*.ts', 'libs/*/src/**/*.ts', 'apps/all-in-one/**/*.ts', 'apps/desk/{src,test}/**/*.{ts,tsx}', 'tools/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeCheckedOnly],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    // tests may hold `any` on purpose (responses read as JSON): the no-unsafe-* family stays off there,
    // the rest of the typed rules (floating promises, needless awaits) holds
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.fault-spec.ts', '**/test/**/*.ts', 'libs/testing/**/*.ts', 'tools/bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
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
