import { composeMail, renderTemplate, type MailValues } from './mail-templates.ts';

const values: MailValues = {
  id: '5d2c7a4e-0000-4000-8000-000000000001',
  name: 'my run',
  job: 'psipred',
  status: 'complete',
  message: 'Completed job at stage 2',
  url: 'https://aa.example.org/api/v1/submissions/5d2c7a4e-0000-4000-8000-000000000001',
};

describe('mail templates', () => {
  it("uses A_A's subject and success text with the results link by default", () => {
    expect(composeMail({}, values)).toEqual({
      subject: 'psipred : A_A Job Completion: 5d2c7a4e-0000-4000-8000-000000000001',
      text: `Your analysis is complete.\nYou can retrieve the results from ${values.url}`,
    });
  });

  it("uses A_A's failure text with the last message for error and crash", () => {
    for (const status of ['error', 'crash'] as const) {
      const { text } = composeMail({}, { ...values, status, message: 'step 1 (psipred): exited with code 3' });
      expect(text).toBe(
        `Job ${values.id} has failed\n\nPlease contact the server administrator with the job ID and the following error message\n\nstep 1 (psipred): exited with code 3`,
      );
    }
  });

  it('says cancelled when the submission was cancelled', () => {
    expect(composeMail({}, { ...values, status: 'cancelled', message: 'Cancelled' }).text).toBe(
      `Job ${values.id} was cancelled\n\nCancelled`,
    );
  });

  it('renders configured templates for every status, with \\n as a line break', () => {
    const templates = {
      subjectTemplate: '[{{status}}] {{name}}',
      bodyTemplate: '{{job}} ended: {{status}}\\nsee {{url}}',
    };
    expect(composeMail(templates, { ...values, status: 'error' })).toEqual({
      subject: '[error] my run',
      text: `psipred ended: error\nsee ${values.url}`,
    });
  });

  it('keeps unknown placeholders and never puts a line break in the subject', () => {
    expect(renderTemplate('{{ id }} {{nope}}', values)).toBe(`${values.id} {{nope}}`);
    expect(composeMail({ subjectTemplate: '{{name}}\\n{{job}}' }, values).subject).toBe('my run psipred');
  });
});
