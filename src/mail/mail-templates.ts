import type { SubmissionStatus } from '../db/submissions.table.ts';

// A_A's texts (reference §3.9), with the hard-coded dev front-end link replaced by {{url}}.
export const DEFAULT_SUBJECT = '{{job}} : A_A Job Completion: {{id}}';
const DEFAULT_BODIES = {
  complete: 'Your analysis is complete.\nYou can retrieve the results from {{url}}',
  error:
    'Job {{id}} has failed\n\nPlease contact the server administrator with the job ID and the following error message\n\n{{message}}',
  cancelled: 'Job {{id}} was cancelled\n\n{{message}}',
};

/** What a template may refer to as {{name}}, {{job}}, {{status}}, {{id}}, {{url}}, {{message}}. */
export interface MailValues {
  id: string;
  name: string;
  job: string;
  status: SubmissionStatus;
  message: string;
  url: string;
}

export interface MailTemplates {
  subjectTemplate?: string | undefined;
  bodyTemplate?: string | undefined;
}

/** Replaces known placeholders; unknown ones stay as written so a typo shows in the mail. */
export function renderTemplate(template: string, values: MailValues): string {
  // An environment variable cannot easily hold a line break, so a literal \n stands for one.
  return template
    .replaceAll('\\n', '\n')
    .replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) =>
      Object.hasOwn(values, key) ? String(values[key as keyof MailValues]) : whole,
    );
}

/** Subject and body for an ended submission or batch; a configured body serves every status. */
export function composeMail(templates: MailTemplates, values: MailValues): { subject: string; text: string } {
  const body =
    templates.bodyTemplate ??
    (values.status === 'complete'
      ? DEFAULT_BODIES.complete
      : values.status === 'cancelled'
        ? DEFAULT_BODIES.cancelled
        : DEFAULT_BODIES.error);
  // Header values must stay on one line.
  const subject = renderTemplate(templates.subjectTemplate ?? DEFAULT_SUBJECT, values).replace(/\s*\n\s*/g, ' ');
  return { subject, text: renderTemplate(body, values) };
}
