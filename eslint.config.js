// `npm run lint` runs this together with dependency-cruiser, jscpd and prettier (README, "Checks").
import './scripts/lint/use-typescript6-api.js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Workflow code runs in Temporal's deterministic sandbox: no I/O, no clocks, no database. It may use
// the workflow SDK, the shared @temporalio/common types, other workflow files and the two pure
// modules below; anything else only as `import type`, which leaves nothing in the bundle.
const workflowRuntimeImports = [
  '@temporalio/workflow',
  '@temporalio/common',
  String.raw`\./[\w.-]+\.ts`,
  String.raw`\.\./src/domain/execution-plan\.ts`,
  String.raw`\.\./src/domain/glob-match\.ts`,
  String.raw`\.\./src/domain/map-items\.ts`,
  String.raw`\.\./src/temporal/search-attributes\.ts`,
];
const anyOtherImport = `^(?!(?:${workflowRuntimeImports.join('|')})$)`;

export default defineConfig(
  { ignores: ['node_modules/', '.tools/', '.data/', 'results/', 'bench/results/', 'coverage/'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'object-shorthand': 'error',
      // Named by disable comments already in the tree, so they are checked rather than ignored.
      '@typescript-eslint/no-explicit-any': 'error',
      'no-control-regex': 'error',
    },
  },
  {
    // A migration runs against the schema as it was at its point in history, not today's Database
    // type, so Kysely<any> is the idiom Kysely documents for migrations.
    files: ['migrations/**/*.ts', 'src/db/migrate.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: anyOtherImport,
              allowTypeImports: true,
              message: 'Workflow code stays deterministic: import runtime code here only as `import type`.',
            },
          ],
        },
      ],
    },
  },
);
