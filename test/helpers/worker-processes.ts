import { spawn, type ChildProcess } from 'node:child_process';
import type { Config } from '../../src/config.ts';
import { CLI_ENTRY } from '../../src/project-paths.ts';

export interface WorkerProcess {
  pid: number;
  child: ChildProcess;
  /** The last lines it printed, for failure messages. */
  output: () => string;
  exited: Promise<void>;
  stop: () => Promise<void>;
}

const started = new Set<WorkerProcess>();

/**
 * A real `aa worker …` process, as in production: resolves once it says it is ready. Fault tests
 * kill these with SIGKILL; stopAllWorkerProcesses() cleans up whatever is left.
 */
export async function spawnWorkerProcess(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [CLI_ENTRY, 'worker', ...args], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const expected = (args.includes('--orchestrator') ? 1 : 0) + args.filter((a) => a === '--backend').length;
  let ready = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const isReady = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-8000);
      ready += text.match(/worker ready/g)?.length ?? 0;
      if (ready >= expected) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => reject(new Error(`worker ${args.join(' ')} exited before it was ready:\n${tail}`)));
    setTimeout(() => reject(new Error(`worker ${args.join(' ')} not ready after 60 s:\n${tail}`)), 60_000).unref();
  });
  const worker: WorkerProcess = {
    pid: child.pid!,
    child,
    output: () => tail,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      started.delete(worker);
    },
  };
  started.add(worker);
  await isReady;
  return worker;
}

/** SIGKILL: the worker gets no chance to clean up, as when a machine or the OOM killer takes it. */
export async function killWorkerProcess(worker: WorkerProcess): Promise<void> {
  worker.child.kill('SIGKILL');
  await worker.exited;
  started.delete(worker);
}

export async function stopAllWorkerProcesses(): Promise<void> {
  await Promise.all([...started].map((w) => w.stop()));
}

/** The environment of a worker process serving the same database, Temporal server and queues as a test app. */
export function workerEnv(
  config: Config,
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    DATABASE_URL: config.database.url,
    TEMPORAL_ADDRESS: config.temporal.address,
    ORCHESTRATOR_TASK_QUEUE: config.temporal.orchestratorQueue,
    // The test run bundles the workflow once; each orchestrator process would otherwise spend seconds on webpack.
    WORKFLOW_BUNDLE_PATH: process.env.AA_TEST_WORKFLOW_BUNDLE,
    CANCEL_GRACE_SECONDS: String(config.execution.cancelGraceSeconds),
    HEARTBEAT_TIMEOUT_SECONDS: String(config.execution.heartbeatTimeoutSeconds),
    CRASH_SWEEP_INTERVAL_SECONDS: '0',
    ...overrides,
  };
}
