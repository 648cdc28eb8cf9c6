// `npm run soak [-- --count 1000] [-- --concurrency 16] [-- --kill-every 5-20]`
// Starts the stack under restart loops, submits --count 2-step jobs while SIGKILLing a random part
// (backend worker, orchestrator, API, Temporal dev server), waits for quiescence and checks every
// result's sha256 through the API. Exits 1 when anything is lost or stuck or a checksum is wrong.
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startChaos } from './soak/chaos.ts';
import { activeCount, storedDuplicates, verify, waitForQuiescence } from './soak/soak-check.ts';
import { inPool, submitWithRetries, type Submitted } from './soak/soak-client.ts';
import { configureSoakJob, soakInput } from './soak/soak-job.ts';
import { startSoakStack, type SoakStack } from './soak/soak-stack.ts';

const say = (line: string) => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}`);

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '16' },
      'kill-every': { type: 'string', default: '5-20' },
      'chaos-tail': { type: 'string', default: '60' },
      'quiet-wait': { type: 'string', default: '900' },
      'give-up': { type: 'string', default: '180' },
    },
  });
  const count = Number(values.count);
  const [killMin, killMax] = values['kill-every'].split('-').map((s) => Number(s) * 1000) as [number, number];
  const run = randomBytes(3).toString('hex');
  const started = Date.now();
  say(`run ${run}: ${count} submissions, ${values.concurrency} in flight, a kill every ${values['kill-every']} s`);
  let stack: SoakStack | undefined;
  process.once('SIGINT', () => void stack?.stop().then(() => process.exit(130)));
  try {
    stack = await startSoakStack(process.env, say);
    await configureSoakJob(stack.url, stack.adminToken, stack.backend);
    const chaos = startChaos(stack.parts, killMin, killMax, say);
    let done = 0;
    const submitted = await inPool(
      Array.from({ length: count }, (_, i) => soakInput(run, i)),
      Number(values.concurrency),
      async (item) => {
        const s = await submitWithRetries(stack!.url, item, Number(values['give-up']) * 1000);
        if (++done % Math.max(1, Math.floor(count / 10)) === 0) say(`${done}/${count} submitted`);
        return s;
      },
    );
    const submitEnded = Date.now();
    say(`all POSTs answered after ${seconds(submitEnded - started)} s; kills go on while work is active`);
    const chaosUntil = submitEnded + Number(values['chaos-tail']) * 1000;
    while (Date.now() < chaosUntil && (await activeCount(stack.sql, run).catch(() => 1)) > 0) await sleep(2000);
    await chaos.stop();
    say('kills stopped; waiting for quiescence');
    const quiet = await waitForQuiescence(stack.sql, run, Number(values['quiet-wait']) * 1000);
    if (!quiet) say(`still active after ${values['quiet-wait']} s`);
    const accepted = submitted.filter((s): s is Submitted & { id: string } => s.id !== null);
    const verdicts = await inPool(accepted, 8, (s) => verify(stack!.url, s));
    const dup = await storedDuplicates(stack.sql, run, submitted);
    const tally = (status: string) => verdicts.filter((v) => v.status === status).length;
    const stuck = tally('submitted') + tally('running');
    const lost = tally('lost');
    const badSums = verdicts.filter((v) => v.checksumOk === false).length;
    const goodSums = verdicts.filter((v) => v.checksumOk === true).length;
    const refused = submitted.filter((s) => s.id === null);
    const report = [
      `submitted        ${count} (${run})`,
      `accepted         ${accepted.length}`,
      `refused          ${refused.length}${refused[0] ? ` (last error: ${refused[0].lastError})` : ''}`,
      `retried POSTs    ${submitted.filter((s) => s.attempts > 1).length}`,
      `complete         ${tally('complete')}`,
      `error            ${tally('error')}`,
      `crash            ${tally('crash')}`,
      `cancelled        ${tally('cancelled')}`,
      `stuck            ${stuck}`,
      `lost             ${lost}`,
      `duplicates       ${dup.duplicates} (stored twice under one name); ${dup.storedButRefused} stored although refused`,
      `sha256           ${goodSums} right, ${badSums} wrong`,
      `kills            ${Object.entries(chaos.kills)
        .map(([part, n]) => `${part} ${n}`)
        .join(', ')} (total ${Object.values(chaos.kills).reduce((a, b) => a + b, 0)})`,
      `duration         ${seconds(Date.now() - started)} s (POSTs ${seconds(submitEnded - started)} s)`,
      `load average     ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    ];
    const reasons = new Map<string, number>();
    for (const v of verdicts.filter((v) => v.status !== 'complete')) {
      const reason = `${v.status}: ${v.lastMessage.slice(0, 160)}`;
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    for (const [reason, n] of reasons) report.push(`  ${n} × ${reason}`);
    console.log(`\n${report.join('\n')}\n`);
    const failed = lost > 0 || stuck > 0 || badSums > 0;
    say(failed ? 'FAILED: something was lost, stuck or wrong' : 'passed: nothing lost or stuck, every checksum right');
    return failed ? 1 : 0;
  } finally {
    await stack?.stop();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => Math.round(ms / 100) / 10;

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
