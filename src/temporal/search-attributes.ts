import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Registered on the dev server at start (`--search-attribute`) and by `aa temporal setup` elsewhere.
export const JOB_NAME = defineSearchAttributeKey('AaJobName', SearchAttributeType.KEYWORD);
export const SUBMISSION_NAME = defineSearchAttributeKey('AaSubmissionName', SearchAttributeType.KEYWORD);
export const CLIENT_IDENTITY = defineSearchAttributeKey('AaClient', SearchAttributeType.KEYWORD);
export const SUBMISSION_STATUS = defineSearchAttributeKey('AaStatus', SearchAttributeType.KEYWORD);
/** The schedule (docs/schedules.md) whose run made the submission: the Temporal UI lists a schedule's runs by it. */
export const SCHEDULE_ID = defineSearchAttributeKey('AaSchedule', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [JOB_NAME, SUBMISSION_NAME, CLIENT_IDENTITY, SUBMISSION_STATUS, SCHEDULE_ID];

/** `Name=Type` pairs for `temporal server start-dev --search-attribute`. */
export function searchAttributeFlags(): string[] {
  return SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]);
}
