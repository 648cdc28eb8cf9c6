// `npm run bench [-- --quick] [-- --url URL --admin-token T --temporal HOST:PORT --backend NAME] [-- --only a,b] [-- --profile]`
// Starts the real stack here (or uses a running one), runs each scenario, prints one line per
// figure and writes bench/results/*.json plus summary.md, the table BENCHMARKS.md quotes.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchContext, Scenario } from './bench-context.ts';
import { goalsTable } from './bench-goals.ts';
import { configureBenchJobs } from './bench-jobs.ts';
import { findAaProcesses } from './bench-processes.ts';
import { startBenchStack, type BenchStack } from './bench-stack.ts';
import { report, RESULTS_DIR, round, type Figure } from './bench-stats.ts';
import { machineInfo } from './machine-info.ts';
import { apiLoadScenario } from './scenarios/api-load.ts';
import { bareStartScenario } from './scenarios/bare-start.ts';
import { bareTemporalScenario } from './scenarios/bare-temporal.ts';
import { cancelScenario } from './scenarios/cancel.ts';
import { facadeScenario } from './scenarios/facade.ts';
import { graphsScenario } from './scenarios/graphs.ts';
import { cancelAtScaleScenario } from './scenarios/cancel-at-scale.ts';
import { hopsScenario } from './scenarios/hops.ts';
import { idleMemoryScenario } from './scenarios/idle-memory.ts';
import { latencyScenario } from './scenarios/latency.ts';
import { memoryScenario } from './scenarios/memory.ts';
import { throughputScenario } from './scenarios/throughput.ts';

// In this order: the API load comes last because its POSTs leave a backlog of submissions behind.
const SCENARIOS: [string, Scenario][] = [
  ['latency', latencyScenario],
  ['idle-memory', idleMemoryScenario],
  ['hops', hopsScenario],
  ['throughput', throughputScenario],
  ['overhead', bareTemporalScenario],
  ['facade', facadeScenario],
  ['cancel', cancelScenario],
  ['graphs', graphsScenario],
  ['cancel-at-scale', cancelAtScaleScenario],
  ['memory', memoryScenario],
  ['bare-start', bareStartScenario],
  ['api', apiLoadScenario],
];

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      url: { type: 'string' },
      'admin-token': { type: 'string' },
      temporal: { type: 'string' },
      backend: { type: 'string', default: 'local' },
      only: { type: 'string' },
      profile: { type: 'boolean', default: false },
    },
  });
  const mode = values.quick ? 'quick' : 'full';
  const only = values.only?.split(',');
  const started = Date.now();
  let stack: BenchStack | undefined;
  const stop = async () => {
    await stack?.stop();
    stack = undefined;
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    let ctx: BenchContext;
    if (values.url) {
      const adminToken = values['admin-token'] ?? process.env.ADMIN_TOKEN ?? process.env.AA_API_KEY;
      if (!adminToken)
        throw new Error('--url needs --admin-token (or ADMIN_TOKEN / AA_API_KEY) to configure the benchmark jobs');
      const backend = values.backend;
      const pids = await findAaProcesses(backend);
      ctx = {
        target: { url: values.url.replace(/\/$/, ''), adminToken },
        backend,
        temporalAddress: values.temporal ?? process.env.TEMPORAL_ADDRESS,
        pids,
        processes: async () => Object.fromEntries(Object.entries(pids).map(([role, pid]) => [role, pid ? [pid] : []])),
        quick: values.quick,
        figures: new Map(),
      };
    } else {
      stack = await startBenchStack(process.env, { cpuProfile: values.profile });
      ctx = {
        target: stack,
        backend: stack.backend,
        temporalAddress: stack.temporalAddress,
        pids: stack.pids,
        processes: stack.processes,
        startBackend: stack.startBackend,
        quick: values.quick,
        figures: new Map(),
      };
    }
    const machine = machineInfo(stack?.postgresVersion);
    console.log(
      `[bench] ${mode} run on ${machine.cores} cores, ${machine.ramGiB} GiB, Node ${machine.node}, load average ${machine.loadAverage.join(' ')}`,
    );
    await configureBenchJobs(ctx.target, ctx.backend);
    await rm(RESULTS_DIR, { recursive: true, force: true });
    await mkdir(RESULTS_DIR, { recursive: true });

    let failed = 0;
    for (const [name, scenario] of SCENARIOS) {
      if (only && !only.includes(name)) continue;
      const t0 = Date.now();
      try {
        for (const figure of await scenario(ctx)) ctx.figures.set(figure.name, await report(figure, mode));
      } catch (err) {
        failed++;
        console.log(`${name}: FAILED (${err instanceof Error ? err.message : String(err)})`);
      }
      console.log(`[bench] ${name} took ${round((Date.now() - t0) / 1000)} s`);
    }
    const totalSeconds = round((Date.now() - started) / 1000);
    await writeSummary(ctx.figures, {
      ...machine,
      mode,
      totalSeconds,
      loadAverageAtEnd: (await import('node:os')).loadavg(),
    });
    console.log(`[bench] ${mode} run finished in ${totalSeconds} s${failed ? `, ${failed} scenario(s) failed` : ''}`);
    return failed ? 1 : 0;
  } finally {
    await stop();
  }
}

async function writeSummary(byName: Map<string, Figure>, about: Record<string, unknown>): Promise<void> {
  const figures = [...byName.values()];
  const rows = figures.map((f) => `| ${f.name} | ${round(f.value, 2)} ${f.unit} | ${f.detail} |`);
  const table = ['| figure | value | detail |', '| --- | --- | --- |', ...rows].join('\n');
  const goals = goalsTable(byName);
  await writeFile(path.join(RESULTS_DIR, 'summary.md'), `${table}\n\n${goals}\n`);
  await writeFile(
    path.join(RESULTS_DIR, 'summary.json'),
    `${JSON.stringify({ about, figures: figures.map(({ data: _data, ...f }) => f) }, null, 2)}\n`,
  );
  console.log(`\n${table}\n\nGoals of issue 19, ours against bare Temporal or the floor of this run:\n\n${goals}\n`);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
