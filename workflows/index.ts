export { retentionSweepWorkflow } from './retention-sweep-workflow.ts';
export { submissionWorkflow } from './submission-workflow.ts';
