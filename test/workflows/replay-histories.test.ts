import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { PROJECT_ROOT, WORKFLOWS_PATH } from '../../src/project-paths.ts';
import { workflowIdFor } from '../../src/temporal/task-queues.ts';

// Histories recorded from real runs of earlier workflow code (test/fixtures/histories/README.md).
const dir = path.join(PROJECT_ROOT, 'test', 'fixtures', 'histories');
const files = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();

describe('recorded workflow histories', () => {
  it('are at least the four recorded kinds', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it.each(files)('%s replays on the current workflow code without a nondeterminism error', async (file) => {
    // Saved with JSON.stringify of the fetched History, so fromObject reads it back as it was.
    const history = temporal.api.history.v1.History.fromObject(
      JSON.parse(await readFile(path.join(dir, file), 'utf8')),
    );
    const bundlePath = process.env.AA_TEST_WORKFLOW_BUNDLE;
    await Worker.runReplayHistory(
      bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: WORKFLOWS_PATH },
      history,
      recordedWorkflowId(history),
    );
  });
});

/** The id the run had, from its input: a child workflow's id (the mail) is derived from it. */
function recordedWorkflowId(history: temporal.api.history.v1.History): string {
  const payload = history.events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
  const input = payload ? (JSON.parse(Buffer.from(payload).toString('utf8')) as { submissionId?: string }) : {};
  return input.submissionId ? workflowIdFor(input.submissionId) : 'replayed';
}
