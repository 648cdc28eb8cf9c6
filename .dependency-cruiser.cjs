// The import graph's rules, checked by `npm run lint` (README, "Checks").
const LOWER_LAYERS = '^(workflows|activities|src/(submissions|catalog|auth|domain|files))/';
// What workflow code may load at run time (eslint.config.js holds the same list for the editor).
const WORKFLOW_RUNTIME = [
  '^workflows/',
  '^src/domain/execution-plan[.]ts$',
  '^src/domain/glob-match[.]ts$',
  '^src/domain/map-items[.]ts$',
  '^src/temporal/search-attributes[.]ts$',
  '(^|/)node_modules/@temporalio/(workflow|common)/',
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other cannot be understood, tested or loaded one at a time.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-api-below-the-api',
      severity: 'error',
      comment:
        'HTTP is the outermost layer: workflows, activities and the services below the API must not depend on it, ' +
        'so the CLI, the workers and the facade can reuse them.',
      from: { path: LOWER_LAYERS },
      to: { path: '^src/api/' },
    },
    {
      name: 'clients-speak-only-http',
      severity: 'error',
      comment:
        "The clients are what users' scripts run: they know the API only through HTTP and its OpenAPI types, " +
        'never through the server code.',
      from: { path: '^clients/' },
      to: { path: '^(src|workflows|activities|workers|migrations)/' },
    },
    {
      name: 'workflows-stay-deterministic',
      severity: 'error',
      comment:
        "Workflow code runs in Temporal's deterministic sandbox: runtime imports are limited to the workflow SDK, " +
        '@temporalio/common and pure modules; anything else only as `import type`.',
      from: { path: '^workflows/' },
      to: { pathNot: WORKFLOW_RUNTIME, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count too: a cycle through types still ties the modules' meaning together.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^([.]tools|[.]data|results|bench/results|coverage)/' },
  },
};
