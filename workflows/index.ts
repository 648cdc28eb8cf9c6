export { submissionWorkflow } from './submission-workflow.ts';
