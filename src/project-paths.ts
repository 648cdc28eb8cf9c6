import path from 'node:path';

// Every path the code needs to find on disk, resolved from this file so `aa` works from any folder.
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');
export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'migrations');
export const WORKFLOWS_PATH = path.join(PROJECT_ROOT, 'workflows', 'index.ts');
export const BUNDLE_WORKFLOWS_SCRIPT = path.join(PROJECT_ROOT, 'scripts', 'bundle-workflows.ts');
export const INSTALL_TEMPORAL_SCRIPT = path.join(PROJECT_ROOT, 'scripts', 'install-temporal.sh');
export const CLI_ENTRY = path.join(PROJECT_ROOT, 'src', 'cli', 'main.ts');
