import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PlannedStep } from '../src/domain/execution-plan.ts';

/** Writes the step's json parameters into its work dir; returns their names, which are inputs, not results. */
export async function writeParameterFiles(step: PlannedStep, workDir: string): Promise<string[]> {
  const files = step.parameterFiles ?? [];
  for (const file of files) await writeFile(path.join(workDir, path.basename(file.name)), file.json);
  return files.map((file) => path.basename(file.name));
}
