import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Config } from '../src/config.ts';
import type { Db } from '../src/db/create-db.ts';
import { DomainError } from '../src/domain/domain-error.ts';
import type { SubmissionWorkflowResult } from '../src/domain/execution-plan.ts';
import type { Mailer } from '../src/mail/create-mailer.ts';
import { scheduledInputRef, withInlineUpload } from '../src/schedules/inline-upload.ts';
import type { ScheduledRunInput, ScheduledRunResult } from '../src/schedules/scheduled-run.ts';
import { submitJobs } from '../src/submissions/submit-jobs.ts';
import type { TemporalGateway } from '../src/temporal/temporal-connection.ts';

export interface ScheduledSubmissionDeps {
  db: Db;
  config: Config;
  mailer?: Mailer | undefined;
}

/** The activities of a schedule's run: submit through the core path, wait for it, mail a failure. */
export function createScheduledSubmissionActivities({ db, config, mailer }: ScheduledSubmissionDeps) {
  return {
    /** One ordinary submission, with the checks, plan and workflow of POST /api/v1/jobs/{job}/submissions. */
    async submitScheduledRun({ scheduleId, owner, definition }: ScheduledRunInput) {
      const client = Context.current().client;
      // The activity's own client starts the submission's workflow.
      const temporal = { client: async () => client } as unknown as TemporalGateway;
      try {
        const referencedInput = await scheduledInputRef({ db, config }, definition, owner);
        const { submissions } = await withInlineUpload(definition.input, (upload) =>
          submitJobs(
            { db, config, temporal },
            [
              {
                jobName: definition.job,
                submissionName: `schedule ${scheduleId}`,
                email: null,
                parameters: definition.parameters,
                upload,
                referencedInput,
                rejectUnknownParameters: true,
              },
            ],
            { principal: owner, ip: '127.0.0.1', scheduleId },
          ),
        );
        const started = submissions[0]!;
        return { submissionId: started.id, workflowId: started.workflowId };
      } catch (err) {
        // A refusal (the job was changed or removed since) will not pass on a retry either.
        if (err instanceof DomainError) throw ApplicationFailure.nonRetryable(err.message, 'ScheduledRunRefused');
        throw err;
      }
    },

    /** Waits for the submission's workflow, so the schedule's overlap policy sees the run as running. */
    async awaitScheduledRun(workflowId: string): Promise<SubmissionWorkflowResult> {
      const ctx = Context.current();
      const beat = setInterval(() => ctx.heartbeat(), 5_000);
      try {
        return (await ctx.client.workflow.getHandle(workflowId).result()) as SubmissionWorkflowResult;
      } finally {
        clearInterval(beat);
      }
    },

    async mailScheduledRunFailure({ scheduleId, definition }: ScheduledRunInput, result: ScheduledRunResult) {
      if (!mailer || !definition.notifyEmail) return;
      await mailer.send({
        to: [definition.notifyEmail],
        subject: `Scheduled run of ${definition.job} ended ${result.status}`,
        text: `Schedule ${scheduleId} ran job ${definition.job} (submission ${result.submissionId || 'not made'}): ${result.status}. ${result.message}\n`,
      });
    },
  };
}
