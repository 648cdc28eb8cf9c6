import type { Config } from '../src/config.ts';
import type { Db } from '../src/db/create-db.ts';
import type { Mailer } from '../src/mail/create-mailer.ts';
import type { SlurmBackendSettings } from '../src/domain/slurm-job.ts';
import { createRetentionActivities } from './expire-submissions.ts';
import { createCrashSweepActivities } from './crash-sweep.ts';
import { createNotifyActivities } from './notify-submission-ended.ts';
import { createRunSlurmStepActivity } from './run-slurm-step.ts';
import { createRunStepActivity } from './run-step.ts';
import { createScheduledSubmissionActivities } from './scheduled-submission.ts';
import { createBookkeepingActivities } from './submission-bookkeeping.ts';

export interface ActivityDeps {
  db: Db;
  config: Config;
  /** Absent when SMTP_URL is not set: then no mail is sent. */
  mailer?: Mailer | undefined;
}

/** Activities of the orchestrator worker: status bookkeeping, notifications, retention and the crash sweep. */
export function createOrchestratorActivities({ db, config, mailer }: ActivityDeps) {
  return {
    ...createBookkeepingActivities(db),
    ...createNotifyActivities({ db, config, mailer }),
    ...createRetentionActivities({ db, config }),
    ...createCrashSweepActivities(db),
    ...createScheduledSubmissionActivities({ db, config, mailer }),
  };
}

/**
 * Activities of a backend worker: running task commands, as its own processes or, for a slurm
 * backend (`slurm` settings given), as batch jobs on the cluster. The workflow sees one activity either way.
 */
export function createBackendActivities(deps: ActivityDeps & { slurm?: SlurmBackendSettings | null }) {
  const { slurm, ...rest } = deps;
  return { runStep: slurm ? createRunSlurmStepActivity({ ...rest, settings: slurm }) : createRunStepActivity(rest) };
}
