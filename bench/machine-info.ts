import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { findTemporalBinary } from '../src/dev/temporal-dev-server.ts';

export interface MachineInfo {
  cores: number;
  cpu: string;
  ramGiB: number;
  node: string;
  postgres: string | undefined;
  temporalCli: string;
  loadAverage: number[];
}

/** What BENCHMARKS.md says the figures ran on. */
export function machineInfo(postgresVersion: string | undefined): MachineInfo {
  let temporalCli = 'unknown';
  try {
    temporalCli = execFileSync(findTemporalBinary(), ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // no local binary (--url against a remote stack)
  }
  return {
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    ramGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    postgres: postgresVersion,
    temporalCli,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}
