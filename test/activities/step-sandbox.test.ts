import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { detectEnforcement } from '../../activities/limit-enforcement.ts';
import { stepEnvironment } from '../../activities/step-environment.ts';
import { runSandboxed, type StepUsage } from '../../activities/step-sandbox.ts';
import { NO_LIMITS, type ResourceLimits } from '../../src/domain/resource-limits.ts';

const MiB = 1024 * 1024;
let workDir: string;

beforeEach(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'aa-sandbox-'));
});

afterEach(async () => {
  await rm(workDir, { recursive: true, force: true });
});

async function run(argv: string[], limits: Partial<ResourceLimits>, env: Record<string, string> = {}) {
  const usage: StepUsage = { cpuSeconds: null };
  const started = performance.now();
  const end = await runSandboxed(
    {
      argv,
      cwd: workDir,
      env: stepEnvironment(process.env, workDir, env),
      stdoutPath: path.join(workDir, 'step.stdout'),
      stderrPath: path.join(workDir, 'step.stderr'),
      timeoutMs: 60_000,
      signal: new AbortController().signal,
      graceMs: 1000,
      sandbox: {
        limits: { ...NO_LIMITS, ...limits },
        enforcement: await detectEnforcement(),
        name: `test-${randomUUID().slice(0, 8)}`,
        workDir,
        ours: new Set(),
        keepFirst: ['step.stderr', 'step.stdout'],
      },
    },
    usage,
  );
  return { end, usage, seconds: (performance.now() - started) / 1000 };
}

/** Live processes whose command line holds `marker`, read from /proc. */
function processesWith(marker: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
        return state !== 'Z' && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('a step under resource limits, as real processes', () => {
  it('is enforced here by cgroups (memory, pids, CPU accounting) and rlimits', async () => {
    const enforcement = await detectEnforcement();
    expect(enforcement.cgroups).not.toBeNull();
    expect(enforcement.prlimit).toBe(true);
    expect(enforcement.limits.memoryBytes).toMatch(/^cgroup v[12] memory$/);
    expect(enforcement.limits.processes).toMatch(/^cgroup v[12] pids$/);
  });

  it('ends a 1 GiB allocation under a 256 MiB limit as "memory limit 256 MiB exceeded"', async () => {
    const { end } = await run(['python3', '-c', 'x = b"\\x01" * (1 << 30)\nprint(len(x))'], { memoryBytes: 256 * MiB });
    expect(end).toEqual({ kind: 'limit-exceeded', limit: 'memoryBytes', message: 'memory limit 256 MiB exceeded' });
  });

  it('lets the same allocation finish without a limit', async () => {
    const { end } = await run(['python3', '-c', 'x = b"\\x01" * (1 << 28)\nprint(len(x))'], {});
    expect(end).toEqual({ kind: 'exited', exitCode: 0 });
    expect(await readFile(path.join(workDir, 'step.stdout'), 'utf8')).toBe(`${1 << 28}\n`);
  });

  it('contains a fork bomb under 32 processes: error, and none of its processes survives', async () => {
    const enforcement = await detectEnforcement();
    // Never run the bomb where nothing would contain it.
    expect(enforcement.limits.processes).toMatch(/pids/);
    const marker = `bomb-${randomUUID()}`;
    const { end, seconds } = await run(['bash', '-c', 'b() { b | b; }; b', marker], { processes: 32 });
    expect(end).toEqual({ kind: 'limit-exceeded', limit: 'processes', message: 'process limit 32 exceeded' });
    expect(seconds).toBeLessThan(10);
    expect(processesWith(marker)).toEqual([]);
  });

  it('kills endless output near a 10 MiB output limit and keeps at most 10 MiB', async () => {
    const { end } = await run(['yes', 'endless output'], { outputBytes: 10 * MiB });
    expect(end).toEqual({ kind: 'limit-exceeded', limit: 'outputBytes', message: 'output limit 10 MiB exceeded' });
    const sizes = await Promise.all(
      (await readdir(workDir)).map(async (n) => (await stat(path.join(workDir, n))).size),
    );
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10 * MiB);
    expect((await stat(path.join(workDir, 'step.stdout'))).size).toBeGreaterThan(9 * MiB);
  });

  it('counts output spread over many files against the limit, and cuts it to the limit', async () => {
    const script = 'i=0; while :; do head -c 1048576 /dev/zero > part$i.out; i=$((i+1)); done';
    const { end } = await run(['sh', '-c', script], { outputBytes: 10 * MiB });
    expect(end).toMatchObject({ kind: 'limit-exceeded', limit: 'outputBytes' });
    const names = await readdir(workDir);
    const sizes = await Promise.all(names.map(async (n) => (await stat(path.join(workDir, n))).size));
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10 * MiB);
  });

  it('ends a CPU spin under a 2 s CPU limit after about 2 s of CPU', async () => {
    const { end, usage } = await run(['python3', '-c', 'while True: pass'], { cpuSeconds: 2 });
    expect(end).toEqual({ kind: 'limit-exceeded', limit: 'cpuSeconds', message: 'CPU limit 2 s exceeded' });
    // The kernel samples an rlimit's CPU time more coarsely than the cgroup counts it.
    expect(usage.cpuSeconds).toBeGreaterThanOrEqual(1.8);
    expect(usage.cpuSeconds).toBeLessThan(3);
  });

  it('counts the CPU of every process of the tree against the limit', async () => {
    const spin = 'python3 -c "while True: pass" & python3 -c "while True: pass" & wait';
    const { end, usage } = await run(['sh', '-c', spin], { cpuSeconds: 3 });
    expect(end).toMatchObject({ kind: 'limit-exceeded', limit: 'cpuSeconds' });
    expect(usage.cpuSeconds).toBeGreaterThanOrEqual(2.9);
    expect(usage.cpuSeconds).toBeLessThan(5);
  });

  it('leaves no process behind that left the process group, even without limits', async () => {
    const marker = `escaped-${randomUUID()}`;
    const { end } = await run(['sh', '-c', `setsid sh -c 'sleep 300; :' ${marker} & echo started`], {});
    expect(end).toEqual({ kind: 'exited', exitCode: 0 });
    expect(processesWith(marker)).toEqual([]);
  });

  it('refuses files past the open-files limit', async () => {
    const { end } = await run(['python3', '-c', 'fs = [open("/dev/null") for _ in range(100)]'], { openFiles: 32 });
    expect(end).toEqual({ kind: 'exited', exitCode: 1 });
    expect(await readFile(path.join(workDir, 'step.stderr'), 'utf8')).toContain('Too many open files');
  });

  it('creates files readable by the step alone (umask 077)', async () => {
    const { end } = await run(['sh', '-c', 'touch made && stat -c %a made'], {});
    expect(end).toEqual({ kind: 'exited', exitCode: 0 });
    expect(await readFile(path.join(workDir, 'step.stdout'), 'utf8')).toBe('600\n');
  });

  it('dumps no core, with limits or without (soft and hard limit 0)', async () => {
    for (const limits of [{}, { cpuSeconds: 60 }]) {
      const { end } = await run(['sh', '-c', 'ulimit -Sc; ulimit -Hc'], limits);
      expect(end).toEqual({ kind: 'exited', exitCode: 0 });
      expect(await readFile(path.join(workDir, 'step.stdout'), 'utf8')).toBe('0\n0\n');
    }
  });

  it('names a program that is not on the PATH instead of starting it', async () => {
    const { end } = await run(['no-such-interpreter-9', 'x'], { memoryBytes: 256 * MiB });
    expect(end).toEqual({ kind: 'spawn-failed', message: "not found on the worker's PATH" });
  });
});

describe('a step environment', () => {
  it('carries none of the worker variables beyond PATH and LANG, read from the child', async () => {
    const secrets = { DATABASE_URL: 'postgres://u:secret@db/x', TEMPORAL_API_KEY: 'k', MY_API_TOKEN: 't' };
    const saved = { ...process.env };
    Object.assign(process.env, secrets);
    try {
      const { end } = await run(['env'], {}, { TASK_VAR: 'mine' });
      expect(end).toEqual({ kind: 'exited', exitCode: 0 });
    } finally {
      process.env = saved;
    }
    const seen = Object.fromEntries(
      (await readFile(path.join(workDir, 'step.stdout'), 'utf8'))
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(Object.keys(seen).sort()).toEqual(['HOME', 'LANG', 'PATH', 'PWD', 'TASK_VAR', 'TMPDIR'].sort());
    expect(seen.HOME).toBe(workDir);
  });
});
