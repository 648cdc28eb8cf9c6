import { createHash, randomBytes } from 'node:crypto';
import { adminPut } from './soak-stack.ts';

export const SOAK_JOB = 'soak-2-step';

/** Step 1 copies the upload after a short sleep; step 2 upper-cases the copy, so each result is known in advance. */
export async function configureSoakJob(url: string, token: string, backend: string): Promise<void> {
  await adminPut(url, token, '/api/v1/tasks/soak-copy', {
    backend,
    executable: `sh -c 'sleep 0.3; cat "$1" > "$2"' sh $I1 $O1`,
    inputs: ['.txt'],
    outputs: ['.copy'],
    description: 'copies its input after a short sleep',
  });
  await adminPut(url, token, '/api/v1/tasks/soak-upper', {
    backend,
    executable: `sh -c 'tr a-z A-Z < "$1" > "$2"' sh $I1 $O1`,
    inputs: ['.copy'],
    outputs: ['.upper'],
    description: 'upper-cases the copy',
  });
  await adminPut(url, token, `/api/v1/jobs/${SOAK_JOB}`, {
    steps: [
      { task: 'soak-copy', ordering: 0 },
      { task: 'soak-upper', ordering: 1 },
    ],
  });
}

export interface SoakInput {
  name: string;
  input: string;
  /** sha256 of the result step 2 must produce. */
  expected: string;
}

export function soakInput(run: string, index: number): SoakInput {
  const input = `soak ${run} ${index} ${randomBytes(16).toString('hex')}\n`;
  const expected = createHash('sha256').update(input.toUpperCase()).digest('hex');
  return { name: `soak-${run}-${index}`, input, expected };
}
