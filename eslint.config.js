// @ts-check
import eslint from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Route handlers reach data only through services: never the database itself. */
const routesNeverTouchTheDatabase = {
  patterns: [
    {
      regex: '^drizzle-orm(/|$)',
      message: 'Routes never touch the database: call a service instead.',
    },
    {
      regex: '\\.repository(\\.ts)?$',
      message: 'Routes never touch the database: call a service instead of a repository.',
    },
    {
      regex: '(^|/)database/schema(\\.ts)?$',
      message: 'Routes never touch the database: call a service instead of using the schema.',
    },
  ],
};

export default defineConfig(
  {
    ignores: ['node_modules/', 'reports/', 'test-results/', 'playwright-report/', '.tmp/', 'data/'],
  },
  {
    files: ['**/*.ts', '**/*.js'],
    extends: [
      eslint.configs.recommended,
      tseslint.configs.strictTypeChecked,
      tseslint.configs.stylisticTypeChecked,
    ],
    languageOptions: {
      parserOptions: {
        // tsconfig.json covers src, scripts, e2e, bench and the root *.ts files.
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Fastify plugins and route handlers are async functions that may not await anything.
      '@typescript-eslint/require-await': 'off',
      // `a || b` on strings is deliberate for "empty means unset" (environment variables).
      '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true } }],
    },
  },
  {
    files: ['src/**/*.routes.ts'],
    rules: { 'no-restricted-imports': ['error', routesNeverTouchTheDatabase] },
  },
  {
    files: ['**/*.test.ts', 'e2e/**/*.ts', 'src/test-support/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Tests index into arrays and records they have just built.
      '@typescript-eslint/non-nullable-type-assertion-style': 'off',
    },
  },
  {
    // Browser scripts served as they are: not part of the TypeScript project.
    files: ['src/views/**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: {
      // Browser globals (document, window, …); typos still fail in the e2e tests.
      'no-undef': 'off',
    },
  },
);
