export { submissionWorkflow } from './submission-workflow.ts';
export { crashSweepWorkflow } from './crash-sweep-workflow.ts';
