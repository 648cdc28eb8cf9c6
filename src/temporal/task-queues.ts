export function defaultTaskQueue(backendName: string): string {
  return `backend.${backendName}`;
}

export function workflowIdFor(submissionId: string): string {
  return `submission-${submissionId}`;
}
