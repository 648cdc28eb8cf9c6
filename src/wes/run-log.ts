// A submission as a WES RunLog: the request it came from, its state, our steps as task logs with
// links to their stdout and stderr, and its result files as outputs.
import type { Db } from '../db/create-db.ts';
import type { Submission } from '../db/submissions.table.ts';
import { listSubmissionFiles } from '../submissions/submission-file-repository.ts';
import { listStepRuns } from '../submissions/step-run-repository.ts';
import { wesState } from './wes-state.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;
const fileUrl = (submissionId: string, fileId: string) => `/api/v1/submissions/${submissionId}/files/${fileId}`;

export async function buildRunLog(db: Db, submission: Submission) {
  const [runs, files] = await Promise.all([listStepRuns(db, submission.id), listSubmissionFiles(db, submission.id)]);
  const logOf = (step: number, kind: 'stdout' | 'stderr') => {
    const file = files.find((f) => f.step_index === step && f.kind === kind);
    return file ? fileUrl(submission.id, file.id) : null;
  };
  return {
    run_id: submission.id,
    request: {
      workflow_url: submission.job_name,
      workflow_type: 'AA',
      workflow_type_version: '1',
      workflow_params: submission.parameters,
      tags: { name: submission.name },
    },
    state: wesState(submission),
    run_log: {
      name: submission.job_name,
      cmd: [],
      start_time: iso(submission.started_at),
      end_time: iso(submission.finished_at),
      stdout: null,
      stderr: null,
      exit_code: null,
      system_logs: [submission.last_message],
    },
    task_logs: runs.map((run) => ({
      id: String(run.step_index),
      name: run.task_name,
      cmd: [],
      start_time: iso(run.started_at),
      end_time: iso(run.finished_at),
      stdout: logOf(run.step_index, 'stdout'),
      stderr: logOf(run.step_index, 'stderr'),
      exit_code: run.exit_code,
      system_logs: run.message === '' ? [] : [run.message],
    })),
    outputs: Object.fromEntries(
      files.filter((f) => f.kind === 'result').map((f) => [f.name, fileUrl(submission.id, f.id)]),
    ),
  };
}
