import { ApplicationFailure, Context, log } from '@temporalio/activity';
import type { Config } from '../src/config.ts';
import type { Db } from '../src/db/create-db.ts';
import { claimMail, markMailSent, releaseMail } from '../src/mail/mail-claims.ts';
import { isPermanentMailError, type Mailer } from '../src/mail/create-mailer.ts';
import { findMailTarget } from '../src/mail/mail-target.ts';
import { composeMail } from '../src/mail/mail-templates.ts';

/** The failure type of a mail the server refused for good; the workflow gives up on it at once. */
export const MAIL_REJECTED = 'MailRejected';

export interface NotifyDeps {
  db: Db;
  config: Config;
  mailer?: Mailer | undefined;
}

/**
 * E-mail on a finished submission, or on a finished facade batch, sent at least once and in
 * practice exactly once. Activities run at least once, so the row is claimed before sending and
 * marked sent after: a retry finds it sent and does nothing; a failed send releases the claim
 * and throws, so Temporal retries it; a worker that dies after claiming leaves a claim its own
 * retry (same workflow and activity id) takes back. Only a death between the SMTP server's
 * acceptance and the `email_sent_at` write can repeat a mail, which beats ever losing one.
 */
export function createNotifyActivities({ db, config, mailer }: NotifyDeps) {
  return {
    async notifySubmissionEnded({ submissionId }: { submissionId: string }): Promise<void> {
      if (!mailer) return;
      const target = await findMailTarget(db, submissionId, config.http.publicUrl);
      if (!target) return;
      const info = Context.current().info;
      const token = `${info.workflowExecution?.workflowId ?? info.activityRunId}/${info.activityId}`;
      const about = { submissionId, batchId: target.owner === 'batches' ? target.id : undefined };
      if (!(await claimMail(db, target.owner, target.id, token))) {
        log.info('mail already sent or being sent', about);
        return;
      }
      const { subject, text } = composeMail(config.mail, target.values);
      try {
        await mailer.send({ to: target.to, subject, text });
      } catch (err) {
        await releaseMail(db, target.owner, target.id, token);
        const reason = err instanceof Error ? err.message : String(err);
        if (isPermanentMailError(err)) {
          throw ApplicationFailure.create({
            type: MAIL_REJECTED,
            message: `mail refused: ${reason}`,
            nonRetryable: true,
          });
        }
        log.warn('mail not sent; Temporal will retry', { ...about, error: reason });
        throw err;
      }
      await markMailSent(db, target.owner, target.id, token);
      log.info('mail sent', { ...about, status: target.values.status });
    },
  };
}
