import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { BUNDLE_WORKFLOWS_SCRIPT } from '../src/project-paths.ts';

/**
 * The workflow bundle, built by webpack in a child process. Built in the orchestrator itself, webpack
 * left about 150 MB in its resident memory for good (the heap grows, and never gives it back).
 */
export async function bundleWorkflowsApart(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'aa-workflow-bundle-'));
  try {
    const out = path.join(dir, 'workflow-bundle.js');
    await promisify(execFile)(process.execPath, [BUNDLE_WORKFLOWS_SCRIPT, out], { maxBuffer: 16 * 1024 * 1024 });
    return await readFile(out, 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
