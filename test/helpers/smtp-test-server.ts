import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

export interface SmtpTestServer {
  url: string;
  received: ReceivedMail[];
  /** Refuses the next `count` messages with this SMTP reply code (4xx transient, 5xx permanent). */
  refuseNext: (count: number, responseCode: number) => void;
  refusals: number;
  close: () => Promise<void>;
}

/** A real SMTP server in the test process on a free port, keeping every accepted message. */
export async function startSmtpTestServer(): Promise<SmtpTestServer> {
  let refuse = { count: 0, responseCode: 451 };
  const state: SmtpTestServer = {
    url: '',
    received: [],
    refusals: 0,
    refuseNext: (count, responseCode) => {
      refuse = { count, responseCode };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (refuse.count > 0) {
          refuse.count -= 1;
          state.refusals += 1;
          return callback(Object.assign(new Error('mailbox busy, try later'), { responseCode: refuse.responseCode }));
        }
        const mail = parseMessage(Buffer.concat(chunks).toString('utf8'));
        state.received.push({
          ...mail,
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return state;
}

/** Enough MIME for nodemailer's single-part text messages: the subject and the decoded body. */
function parseMessage(raw: string): { subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(headers)?.[1]?.trim() ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const text =
    encoding === 'quoted-printable'
      ? Buffer.from(
          body
            .replace(/=\r\n/g, '')
            .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
          'latin1',
        ).toString('utf8')
      : encoding === 'base64'
        ? Buffer.from(body, 'base64').toString('utf8')
        : body;
  return { subject: header('Subject'), text: text.replace(/\r\n/g, '\n').replace(/\n$/, '') };
}
