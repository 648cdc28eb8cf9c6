import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import type { ScheduleView } from '../schedules/schedule-schemas.ts';
import { cliApi, unwrap } from './api-client.ts';
import { UsageError } from './command-errors.ts';
import type { RunCommand } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { parseParamArgs } from './parse-param-args.ts';
import { userCommand } from './user-command.ts';

const HELP = `Usage: aa schedules COMMAND   (over the REST API at AA_URL, with AA_API_KEY)

  aa schedules create --job JOB (--cron EXPR ... | --interval SECONDS) [--param K=V ...] [--input FILE | --dataset ID]
        [--id ID] [--time-zone TZ] [--overlap skip|buffer_one|allow_all] [--notify-email ADDRESS] [--paused]
                                   run JOB periodically, each run a submission; prints the schedule's id
  aa schedules list                your schedules (all of them with an admin key)
  aa schedules show ID             one schedule, with its next and recent runs
  aa schedules pause ID [--note TEXT] / unpause ID [--note TEXT]
  aa schedules trigger ID          run it now
  aa schedules backfill ID --start ISO --end ISO
                                   run every due time of a past range
  aa schedules delete ID           delete it; its runs stay as submissions

  Every command takes --json (docs/schedules.md).`;

const OPTIONS = {
  json: { type: 'boolean', default: false },
  job: { type: 'string' },
  cron: { type: 'string', multiple: true, default: [] as string[] },
  interval: { type: 'string' },
  param: { type: 'string', short: 'p', multiple: true, default: [] as string[] },
  input: { type: 'string' },
  dataset: { type: 'string' },
  id: { type: 'string' },
  'time-zone': { type: 'string' },
  overlap: { type: 'string' },
  'notify-email': { type: 'string' },
  paused: { type: 'boolean', default: false },
  note: { type: 'string', default: '' },
  start: { type: 'string' },
  end: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgsOf>['values'];
const parseArgsOf = (args: string[]) => parseArgs({ args, allowPositionals: true, options: OPTIONS });

function printOne(s: ScheduleView): void {
  const timing = [...s.cron, ...(s.interval === null ? [] : [`every ${s.interval}s`])].join(', ');
  const state = s.paused ? `paused${s.note ? ` (${s.note})` : ''}` : `next ${s.nextRuns[0] ?? '-'}`;
  console.log(`${s.id}  ${s.job}  ${timing} ${s.timeZone}  overlap ${s.overlap}  ${state}`);
}

async function createBody(values: Values) {
  if (!values.job) throw new UsageError('give --job');
  return {
    job: values.job,
    parameters: parseParamArgs(values.param),
    cron: values.cron,
    ...(values.id ? { id: values.id } : {}),
    ...(values.interval ? { interval: Number(values.interval) } : {}),
    ...(values.input
      ? { input: { text: await readFile(values.input, 'utf8'), name: path.basename(values.input) } }
      : {}),
    ...(values.dataset ? { dataset: values.dataset } : {}),
    ...(values['time-zone'] ? { timeZone: values['time-zone'] } : {}),
    ...(values.overlap ? { overlap: values.overlap } : {}),
    ...(values['notify-email'] ? { notifyEmail: values['notify-email'] } : {}),
    paused: values.paused,
  };
}

async function schedules(args: string[]): Promise<number> {
  const { values, positionals } = parseArgsOf(args);
  const [command, id, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  const api = cliApi(loadConfig().cli);
  const one = () => {
    if (!id) throw new UsageError('give a schedule id');
    return { path: { id } };
  };
  const view = async (answer: Promise<{ data?: unknown; error?: unknown; response: Response }>) =>
    (await unwrap(answer)) as ScheduleView;
  const show = (value: ScheduleView) => (values.json ? console.log(JSON.stringify(value, null, 2)) : printOne(value));
  switch (command) {
    case 'create': {
      // Options go as given (an unknown --overlap, say): the API names what is wrong with them.
      const body = (await createBody(values)) as never;
      const created = await view(api.POST('/api/v1/schedules', { body }));
      if (values.json) show(created);
      else console.log(created.id);
      return EXIT.ok;
    }
    case 'list': {
      const { items } = (await unwrap(api.GET('/api/v1/schedules'))) as { items: ScheduleView[] };
      if (values.json) console.log(JSON.stringify(items, null, 2));
      else items.forEach(printOne);
      return EXIT.ok;
    }
    case 'show':
      show(await view(api.GET('/api/v1/schedules/{id}', { params: one() })));
      return EXIT.ok;
    case 'pause':
    case 'unpause':
      show(await view(api.POST(`/api/v1/schedules/{id}/${command}`, { params: one(), body: { note: values.note } })));
      return EXIT.ok;
    case 'trigger':
      show(await view(api.POST('/api/v1/schedules/{id}/trigger', { params: one() })));
      return EXIT.ok;
    case 'backfill': {
      if (!values.start || !values.end) throw new UsageError('give --start and --end');
      const range = { start: values.start, end: values.end };
      show(await view(api.POST('/api/v1/schedules/{id}/backfill', { params: one(), body: range })));
      return EXIT.ok;
    }
    case 'delete':
      await unwrap(api.DELETE('/api/v1/schedules/{id}', { params: one() }));
      if (values.json) console.log(JSON.stringify({ id, deleted: true }));
      else console.log(`${id} deleted`);
      return EXIT.ok;
    default:
      throw new UsageError(
        command
          ? `unknown command "${command}"`
          : 'give a command: create, list, show, pause, unpause, trigger, backfill or delete',
      );
  }
}

export const run: RunCommand = userCommand('schedules', HELP, schedules);
