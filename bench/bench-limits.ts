// Time to detect each resource limit, and what the limits cost a trivial step, measured on the
// sandbox a backend worker runs every step in (real processes, this machine's cgroups and rlimits).
// Run: `npm run bench:limits`. Prints one line per figure; BENCHMARKS.md keeps a run of them.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { detectEnforcement } from '../activities/limit-enforcement.ts';
import { runCommand, type CommandRun } from '../activities/run-command.ts';
import { stepEnvironment } from '../activities/step-environment.ts';
import { runSandboxed, type SandboxedEnd, type StepUsage } from '../activities/step-sandbox.ts';
import { NO_LIMITS, type ResourceLimits } from '../src/domain/resource-limits.ts';
import { distribution, msDetail, round } from './bench-stats.ts';

const MiB = 1024 * 1024;
const TRIVIAL_RUNS = 60;
const LIMIT_RUNS = 5;
const ALL_LIMITS: ResourceLimits = {
  cpuSeconds: 60,
  memoryBytes: 512 * MiB,
  processes: 64,
  openFiles: 256,
  outputBytes: 100 * MiB,
};

const enforcement = await detectEnforcement();

async function inWorkDir<T>(run: (workDir: string, command: CommandRun) => Promise<T>): Promise<T> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'aa-bench-limits-'));
  try {
    return await run(workDir, {
      argv: [],
      cwd: workDir,
      env: stepEnvironment(process.env, workDir, {}),
      stdoutPath: path.join(workDir, 'out'),
      stderrPath: path.join(workDir, 'err'),
      timeoutMs: 120_000,
      signal: new AbortController().signal,
      graceMs: 1000,
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function sandboxed(argv: string[], limits: Partial<ResourceLimits>) {
  return inWorkDir(async (workDir, command) => {
    const usage: StepUsage = { cpuSeconds: null };
    const started = performance.now();
    const end: SandboxedEnd = await runSandboxed(
      { ...command, argv },
      {
        limits: { ...NO_LIMITS, ...limits },
        enforcement,
        name: `bench-${randomUUID().slice(0, 8)}`,
        workDir,
        ours: new Set(),
        keepFirst: ['err', 'out'],
      },
      usage,
    );
    return { end, usage, ms: performance.now() - started };
  });
}

async function bare(argv: string[]) {
  return inWorkDir(async (_workDir, command) => {
    const started = performance.now();
    await runCommand({ ...command, argv });
    return performance.now() - started;
  });
}

async function sample(n: number, once: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await once());
  return out;
}

function line(name: string, value: number, unit: string, detail: string) {
  process.stdout.write(`${name}: ${value} ${unit} (${detail})\n`);
}

process.stdout.write(
  `enforcement: cgroups ${enforcement.cgroups?.version ?? 'none'}, prlimit ${enforcement.prlimit}; ${JSON.stringify(enforcement.limits)}\n`,
);

const trivialBare = distribution(await sample(TRIVIAL_RUNS, () => bare(['true'])));
const trivialNoLimits = distribution(await sample(TRIVIAL_RUNS, async () => (await sandboxed(['true'], {})).ms));
const trivialAll = distribution(await sample(TRIVIAL_RUNS, async () => (await sandboxed(['true'], ALL_LIMITS)).ms));
line('trivial-step-bare', round(trivialBare.p50), 'ms', `\`true\` with runCommand alone: ${msDetail(trivialBare)}`);
line(
  'trivial-step-sandbox',
  round(trivialNoLimits.p50),
  'ms',
  `wrapper, cgroup, clean env, no limit set: ${msDetail(trivialNoLimits)}`,
);
line('trivial-step-all-limits', round(trivialAll.p50), 'ms', `every limit set: ${msDetail(trivialAll)}`);
line(
  'limits-overhead',
  round(trivialAll.p50 - trivialBare.p50),
  'ms',
  'p50 of every limit set minus p50 bare, per step',
);

async function detection(
  name: string,
  argv: string[],
  limits: Partial<ResourceLimits>,
  expected: string,
  measure: (r: Awaited<ReturnType<typeof sandboxed>>) => number,
  what: string,
) {
  const runs = [];
  for (let i = 0; i < LIMIT_RUNS; i++) {
    const result = await sandboxed(argv, limits);
    if (result.end.kind !== 'limit-exceeded' || result.end.message !== expected) {
      throw new Error(`${name}: expected "${expected}", got ${JSON.stringify(result.end)}`);
    }
    runs.push(measure(result));
  }
  const d = distribution(runs);
  line(name, round(d.p50), 'ms', `${what}; ${msDetail(d)}`);
}

await detection(
  'detect-memory',
  ['python3', '-c', 'x = b"\\x01" * (1 << 30)'],
  { memoryBytes: 256 * MiB },
  'memory limit 256 MiB exceeded',
  (r) => r.ms,
  'start to step end, 1 GiB allocation under 256 MiB (includes python start-up and filling 256 MiB)',
);
await detection(
  'detect-processes',
  ['bash', '-c', 'b() { b | b; }; b'],
  { processes: 32 },
  'process limit 32 exceeded',
  (r) => r.ms,
  'start to step end with every process dead, fork bomb under 32 processes',
);
await detection(
  'detect-output-one-file',
  ['yes', 'endless output'],
  { outputBytes: 10 * MiB },
  'output limit 10 MiB exceeded',
  (r) => r.ms,
  'start to step end, `yes` under a 10 MiB output limit (file-size rlimit)',
);
await detection(
  'detect-output-many-files',
  ['sh', '-c', 'i=0; while :; do head -c 1048576 /dev/zero > part$i.out; i=$((i+1)); done'],
  { outputBytes: 10 * MiB },
  'output limit 10 MiB exceeded',
  (r) => r.ms,
  'start to step end, 1 MiB files without end under 10 MiB (work-dir watch)',
);
await detection(
  'detect-cpu',
  ['python3', '-c', 'while True: pass'],
  { cpuSeconds: 2 },
  'CPU limit 2 s exceeded',
  (r) => r.ms - 2000,
  'step end minus the 2 s of CPU allowed, CPU spin under cpuSeconds 2 (wall time beyond the limit)',
);
await detection(
  'detect-cpu-tree',
  ['sh', '-c', 'python3 -c "while True: pass" & python3 -c "while True: pass" & wait'],
  { cpuSeconds: 2 },
  'CPU limit 2 s exceeded',
  (r) => ((r.usage.cpuSeconds ?? 0) - 2) * 1000,
  'CPU used beyond the 2 s allowed by two spinning processes (cgroup accounting, polled every 100 ms)',
);
