import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const RESULTS_DIR = path.join(import.meta.dirname, 'results');

export interface Distribution {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles of a sample (milliseconds or any unit the caller uses). */
export function distribution(samples: number[]): Distribution {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
  const mean = sorted.reduce((sum, x) => sum + x, 0) / (sorted.length || 1);
  return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1] ?? NaN, mean };
}

/** One figure of one scenario: printed as one line and kept in bench/results/<name>.json. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** What goes in the parentheses of the line, e.g. `p50 41 ms, p95 60 ms, p99 75 ms`. */
  detail: string;
  data?: Record<string, unknown>;
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** CPU ms per completed job, all processes, with the share of each in the detail. */
export function cpuFigure(name: string, perJob: Record<string, number>, what: string): Figure {
  const { total = 0, ...byRole } = perJob;
  const shares = Object.entries(byRole).map(([role, ms]) => `${role} ${round(ms)}`);
  console.log(`  ${name} CPU ms per job: ${shares.join(', ')}; total ${round(total)}`);
  return { name, value: total, unit: 'ms/job', detail: `${what}: ${shares.join(', ')}`, data: perJob };
}

export function msDetail(d: Distribution): string {
  return `p50 ${round(d.p50)} ms, p95 ${round(d.p95)} ms, p99 ${round(d.p99)} ms, max ${round(d.max)} ms, n ${d.n}`;
}

export function formatLine(figure: Figure): string {
  return `${figure.name}: ${round(figure.value, 2)} ${figure.unit}${figure.detail ? ` (${figure.detail})` : ''}`;
}

/** Prints the figure's line and writes its JSON file; returns the figure for the summary. */
export async function report(figure: Figure, mode: string): Promise<Figure> {
  console.log(formatLine(figure));
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${figure.name}.json`);
  await writeFile(file, `${JSON.stringify({ ...figure, mode, at: new Date().toISOString() }, null, 2)}\n`);
  return figure;
}
