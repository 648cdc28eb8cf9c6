import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/project-paths.ts';

const file = path.join(PROJECT_ROOT, '.data', 'test-run', 'measurements.jsonl');

/** Keeps a figure a test measured (e.g. cancel-to-dead time) in .data/test-run/measurements.jsonl for the report. */
export function recordMeasurement(name: string, value: number, unit: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), name, value, unit })}\n`);
}
