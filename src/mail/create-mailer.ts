import { createTransport } from 'nodemailer';
import type { Config } from '../config.ts';

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
}

/** Sends one plain-text message; rejects with nodemailer's error (its `permanent` flag says whether to retry). */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** One mailer per process, or none when SMTP_URL is not set (then no mail is sent). */
export function createMailer(mail: Config['mail']): Mailer | undefined {
  if (!mail.smtpUrl) return undefined;
  // Bounded waits, so a silent mail server fails the attempt well inside the activity's timeout.
  const transport = createTransport(
    { url: mail.smtpUrl, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 },
    { from: mail.from },
  );
  return {
    async send({ to, subject, text }) {
      await transport.sendMail({ to, subject, text });
    },
    close: () => transport.close(),
  };
}

/** True when the server refused the message for good (a 5xx reply): sending it again would not help. */
export function isPermanentMailError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { permanent?: unknown }).permanent === true;
}
