// Prebuilds the workflow bundle so an orchestrator started with WORKFLOW_BUNDLE_PATH skips webpack
// at start-up (the Docker image runs this at build time). Usage: node scripts/bundle-workflows.ts OUT.js
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../src/project-paths.ts';

async function main(out: string | undefined): Promise<number> {
  if (!out) {
    console.error('usage: node scripts/bundle-workflows.ts OUT.js');
    return 2;
  }
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH });
  await mkdir(path.dirname(path.resolve(out)), { recursive: true });
  await writeFile(out, code);
  console.log(`workflow bundle written to ${out} (${code.length} bytes)`);
  return 0;
}

main(process.argv[2]).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
