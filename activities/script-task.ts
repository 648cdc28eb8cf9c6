import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../src/db/create-db.ts';
import { STEP_CONFIG_INVALID, type PlannedStep } from '../src/domain/execution-plan.ts';
import { findScriptText } from '../src/submissions/script-text-repository.ts';

export const PARAMS_FILE = 'aa-params.json';

/**
 * Writes a script step's script and its parameters (JSON, the path in AA_PARAMS) into the work dir.
 * Parameters are data: they reach the script through that file and AA_PARAM_<alias>, never its text.
 * Returns the names it wrote (not outputs) and the variables that point the script at its files.
 */
export async function writeScriptFiles(
  db: Db,
  submissionId: string,
  step: PlannedStep,
  workDir: string,
): Promise<{ files: string[]; environment: Record<string, string> }> {
  const script = step.script;
  if (!script) return { files: [], environment: {} };
  const text = await findScriptText(db, script.sha256);
  if (text === undefined || createHash('sha256').update(text).digest('hex') !== script.sha256) {
    throw ApplicationFailure.create({
      type: STEP_CONFIG_INVALID,
      message: `script ${script.sha256} of task ${step.taskName} is not stored`,
      nonRetryable: true,
    });
  }
  await writeFile(path.join(workDir, script.fileName), text, { mode: 0o600 });
  await writeFile(path.join(workDir, PARAMS_FILE), JSON.stringify(script.parameters), { mode: 0o600 });
  const environment: Record<string, string> = {
    AA_PARAMS: path.join(workDir, PARAMS_FILE),
    AA_ID: submissionId,
    AA_WORK_DIR: workDir,
  };
  step.inputEndings.forEach((ending, i) => (environment[`AA_INPUT_${i + 1}`] = `${submissionId}${ending}`));
  step.outputEndings.forEach((ending, i) => (environment[`AA_OUTPUT_${i + 1}`] = `${submissionId}${ending}`));
  for (const [alias, value] of Object.entries(script.parameters)) {
    if (value !== null) environment[`AA_PARAM_${alias}`] = String(value);
  }
  return { files: [script.fileName, PARAMS_FILE], environment };
}
