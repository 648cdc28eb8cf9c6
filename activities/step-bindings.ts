import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../src/db/create-db.ts';
import { STEP_CONFIG_INVALID, type PlannedBinding, type ProducedSummary } from '../src/domain/execution-plan.ts';
import { globMatch } from '../src/domain/glob-match.ts';
import { plannedStepOf } from '../src/domain/map-items.ts';
import { copyStoredFile } from '../src/files/file-store.ts';
import { listFilesOfSteps } from '../src/submissions/submission-file-repository.ts';

/**
 * Writes the files a step's input bindings name: for each binding, the files of its first source
 * that yields any (a step's results matching a pattern, or the upload), under `as` when given.
 */
export async function stageBoundInputs(
  db: Db,
  submissionId: string,
  bindings: PlannedBinding[],
  workDir: string,
  uploadName: string,
  inputNames: string[],
): Promise<string[]> {
  const steps = bindings.flatMap((b) => b.from.flatMap((s) => ('step' in s ? [s.step] : [])));
  const files = await listFilesOfSteps(db, submissionId, steps);
  const staged: string[] = [];
  for (const [i, binding] of bindings.entries()) {
    const chosen = binding.from
      .map((source) =>
        'upload' in source
          ? files.filter((f) => f.kind === 'input').map((f) => ({ ...f, name: uploadName }))
          : files.filter(
              (f) =>
                f.kind === 'result' && plannedStepOf(f.step_index!) === source.step && globMatch(source.glob, f.name),
            ),
      )
      .find((found) => found.length > 0);
    if (!chosen) continue;
    const renamed = binding.as
      ? /^I\d+$/.test(binding.as)
        ? inputNames[Number(binding.as.slice(1)) - 1]
        : binding.as
      : undefined;
    if (renamed !== undefined && chosen.length > 1) {
      throw ApplicationFailure.create({
        type: STEP_CONFIG_INVALID,
        message: `input binding ${i + 1} matched ${chosen.length} files but names one (${binding.as})`,
        nonRetryable: true,
      });
    }
    for (const file of chosen) {
      const name = path.basename(renamed ?? file.name);
      await copyStoredFile(db, file.id, path.join(workDir, name));
      staged.push(name);
    }
  }
  return staged;
}

// Small values for conditions, not data: bigger files are results, read by later steps.
const OUTPUTS_JSON = 'outputs.json';
const OUTPUTS_JSON_MAX_BYTES = 64 * 1024;

/** What a step of a graph plan produced: its stored results, and the fields of the outputs.json it wrote. */
export async function summarizeProduced(
  db: Db,
  submissionId: string,
  stepIndex: number,
  workDir: string,
): Promise<ProducedSummary> {
  const results = (await listFilesOfSteps(db, submissionId, [stepIndex])).filter((f) => f.kind === 'result');
  const files = results.map((f) => ({ name: f.name, size: f.size }));
  const text = await readFile(path.join(workDir, OUTPUTS_JSON), 'utf8').catch(() => undefined);
  if (text === undefined || Buffer.byteLength(text) > OUTPUTS_JSON_MAX_BYTES) return { files };
  try {
    const values: unknown = JSON.parse(text);
    if (values && typeof values === 'object' && !Array.isArray(values))
      return { files, values: values as Record<string, unknown> };
  } catch {
    // Not JSON: conditions on its fields see them missing.
  }
  return { files };
}
