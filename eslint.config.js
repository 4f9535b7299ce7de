// ESLint over everything the project runs: src, test, bench, bin and the CI scripts.
// typescript-eslint's type-checked rules read the types tsc computes (tsconfig.json), so they catch
// what syntax alone cannot: a promise nobody awaits, `any` leaking out of a parse, a template that
// prints "[object Object]". docs/decisions.md says why this preset.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['rili-data/', 'test-artifacts/', 'tmp/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // The plain-JS entry points are outside tsconfig.json; the project service types them on its own.
        projectService: { allowDefaultProject: ['eslint.config.js', 'bin/*.js', 'bench/lib/*.mjs', '.ci/*.mjs', 'src/console/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // node:test's test() and describe() return promises the runner itself awaits: not floating.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }],
      }],
      // A leading underscore is how the code says "deliberately unused" (a destructured field left out).
      '@typescript-eslint/no-unused-vars': ['error', {
        argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true,
      }],
      // Off: `async` is how a function meets an interface that wants a Promise (Fastify plugins, Kysely
      // migrations, store ports); dropping it would turn a thrown error into a synchronous throw.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      // Plain JS has no annotations to narrow `any` with: what it parses (JSON, autocannon's results) is untyped.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // The sandbox console's script runs in the browser as a classic script, beside FullCalendar's global bundle.
    files: ['src/console/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: Object.fromEntries([
        'window', 'document', 'location', 'navigator', 'sessionStorage', 'fetch', 'setTimeout', 'clearTimeout', 'setInterval',
        'CSS', 'Node', 'URLSearchParams', 'TextDecoderStream', 'AbortController', 'FullCalendar',
      ].map((name) => [name, 'readonly'])),
    },
  },
  {
    files: ['src/store/migrations/**', 'src/store/*/migrations/**'],
    // Kysely's own advice: a migration takes Kysely<any>, since it must not depend on today's schema types.
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['test/**'],
    rules: {
      // Tests read wire bodies as untyped JSON on purpose (body.data.items[0].event_id): the assertions
      // are what checks their shape, so typing every response would only restate the assertions.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
