/** The orchestrator serves the generic workflow and bookkeeping activities here. */
export const ORCHESTRATOR_TASK_QUEUE = 'orchestrator';

export function defaultTaskQueue(backendName: string): string {
  return `backend.${backendName}`;
}

export function workflowIdFor(submissionId: string): string {
  return `submission-${submissionId}`;
}
