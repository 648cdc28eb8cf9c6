import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface SupervisedSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** How long the supervisor waits before it starts a child that died (systemd's RestartSec, compose's restart delay). */
  restartDelayMs: number;
}

/**
 * A restart loop like systemd `Restart=always` or compose `restart: unless-stopped`: whenever the
 * child exits, however it died, a new one starts after the delay, until stop().
 */
export class Supervisor {
  readonly spec: SupervisedSpec;
  starts = 0;
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #stopping = false;
  #log;

  constructor(spec: SupervisedSpec) {
    this.spec = spec;
    this.#log = createWriteStream(spec.logFile, { flags: 'a' });
  }

  start(): void {
    this.starts++;
    const child = spawn(this.spec.command, this.spec.args, { env: this.spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    child.stdout!.pipe(this.#log, { end: false });
    child.stderr!.pipe(this.#log, { end: false });
    this.#exited = new Promise<void>((resolve) =>
      child.once('exit', (code, signal) => {
        this.#log.write(`[supervisor] ${this.spec.name} exited (code ${code}, signal ${signal})\n`);
        resolve();
        if (!this.#stopping) setTimeout(() => this.#stopping || this.start(), this.spec.restartDelayMs);
      }),
    );
  }

  get pid(): number | undefined {
    const child = this.#child;
    return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
  }

  /** SIGKILL, as the OOM killer or a lost machine does: no clean-up. False when it was not running. */
  kill(): boolean {
    const pid = this.pid;
    if (pid === undefined) return false;
    this.#child!.kill('SIGKILL');
    return true;
  }

  async stop(graceMs = 10_000): Promise<void> {
    this.#stopping = true;
    const child = this.#child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await this.#exited;
      clearTimeout(timer);
    }
    this.#log.end();
  }
}
