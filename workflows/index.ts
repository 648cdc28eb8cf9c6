export { retentionSweepWorkflow } from './retention-sweep-workflow.ts';
export { submissionWorkflow } from './submission-workflow.ts';
export { crashSweepWorkflow } from './crash-sweep-workflow.ts';
export { submissionMailWorkflow } from './submission-mail-workflow.ts';
export { mapBatchWorkflow } from './map-batch-workflow.ts';
export { nestedJobWorkflow } from './nested-job-workflow.ts';
export { scheduledSubmissionWorkflow } from './scheduled-submission-workflow.ts';
