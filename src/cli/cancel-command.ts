import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import type { Command } from './commands.ts';

const HELP = `Usage: aa cancel ID

  Cancels submission ID through the REST API at AA_URL (default http://localhost:3000),
  with AA_API_KEY as the bearer key if set. Its processes get SIGTERM, then SIGKILL.`;

export const cancelCommand: Command = {
  summary: 'Cancel a submission over the REST API (AA_URL, AA_API_KEY)',
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { help: { type: 'boolean', default: false } } });
    const [id] = positionals;
    if (values.help || !id || positionals.length > 1) {
      console.log(HELP);
      return values.help ? 0 : 2;
    }
    const { cli } = loadConfig();
    const url = new URL(`/api/v1/submissions/${encodeURIComponent(id)}/cancel`, cli.url);
    const res = await fetch(url, {
      method: 'POST',
      headers: cli.apiKey ? { authorization: `Bearer ${cli.apiKey}` } : {},
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await res.json().catch(() => ({}))) as { status?: string; error?: { code: string; message: string } };
    if (res.status === 202) {
      console.log(`Cancel requested for ${id} (status now ${body.status}); its processes are being stopped`);
      return 0;
    }
    console.error(`aa cancel: ${res.status} ${body.error?.code ?? ''}: ${body.error?.message ?? res.statusText}`);
    return 1;
  },
};
