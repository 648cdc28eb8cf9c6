import type { Db } from '../src/db/create-db.ts';
import type { FinalStatus, PlannedMap, PlannedStep } from '../src/domain/execution-plan.ts';
import { markMapStarted, markStepEnded, markStepSkipped } from '../src/submissions/step-run-repository.ts';
import { countMapItems } from './map-item-files.ts';
import { endSubmission, markSubmissionRunning } from '../src/submissions/submission-transitions.ts';

/** Status writes the orchestrator makes; each is idempotent because activities run at least once. */
export function createBookkeepingActivities(db: Db) {
  return {
    /** `proceed` is false when the submission already ended (cancelled before its workflow ran). */
    async recordSubmissionStarted({ submissionId }: { submissionId: string }): Promise<{ proceed: boolean }> {
      return { proceed: await markSubmissionRunning(db, submissionId) };
    },

    async recordStepSkipped(input: {
      submissionId: string;
      step: Pick<PlannedStep, 'index' | 'stage' | 'taskName' | 'backend'>;
      reason: string;
    }): Promise<void> {
      await markStepSkipped(db, input.submissionId, input.step, input.reason);
    },

    /** Counts a map step's items and records it running; the workflow then runs that many. */
    async startMapStep(input: {
      submissionId: string;
      step: Pick<PlannedStep, 'index' | 'stage' | 'taskName' | 'backend'>;
      map: PlannedMap;
    }): Promise<{ total: number }> {
      const total = await countMapItems(db, input.submissionId, input.map);
      await markMapStarted(db, input.submissionId, input.step, total);
      return { total };
    },

    async endMapStep(input: {
      submissionId: string;
      index: number;
      status: 'complete' | 'error' | 'cancelled';
      message: string;
    }): Promise<void> {
      await markStepEnded(db, input.submissionId, input.index, input.status, null, input.message);
    },

    /** A replayed or late write never overrides the first terminal status (endSubmission keeps it final). */
    async recordSubmissionEnded(input: { submissionId: string; status: FinalStatus; message: string }): Promise<void> {
      await endSubmission(db, input.submissionId, input.status, input.message);
    },
  };
}
