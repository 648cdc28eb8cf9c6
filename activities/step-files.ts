import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../src/db/create-db.ts';
import type { PlannedStep } from '../src/domain/execution-plan.ts';
import { copyStoredFile, storeFileFromPath } from '../src/files/file-store.ts';
import {
  deleteStepFiles,
  listFilesBeforeStage,
  listFilesOfSteps,
} from '../src/submissions/submission-file-repository.ts';
import { stageMapItem } from './map-item-files.ts';
import { stageBoundInputs } from './step-bindings.ts';

/** The name a step sees the upload under, as in A_A: `<uuid><first input ending>`. */
export function uploadNameFor(submissionId: string, step: Pick<PlannedStep, 'inputEndings'>): string {
  return `${submissionId}${step.inputEndings[0] ?? '.input'}`;
}

/**
 * Writes the upload and every earlier stage's results (a graph plan: every ancestor's) that match
 * the step's input endings; a step with input bindings gets what they name instead.
 */
export async function stageInputs(db: Db, submissionId: string, step: PlannedStep, workDir: string): Promise<string[]> {
  if (step.item) return stageMapItem(db, submissionId, step.item, workDir, uploadNameFor(submissionId, step));
  if (step.inputs) {
    // The names the task's $I1, $I2… stand for (build-execution-plan.ts).
    const inputNames = step.inputEndings.map((ending) => `${submissionId}${ending}`);
    return stageBoundInputs(db, submissionId, step.inputs, workDir, uploadNameFor(submissionId, step), inputNames);
  }
  const files = step.ancestors
    ? await listFilesOfSteps(db, submissionId, step.ancestors)
    : await listFilesBeforeStage(db, submissionId, step.stage);
  const staged: string[] = [];
  for (const file of files) {
    const name = file.kind === 'input' ? uploadNameFor(submissionId, step) : file.name;
    if (file.kind === 'result' && !step.inputEndings.some((ending) => name.endsWith(ending))) continue;
    await copyStoredFile(db, file.id, path.join(workDir, path.basename(name)));
    staged.push(path.basename(name));
  }
  return staged;
}

/**
 * Stores stdout, stderr and the outputs matching the step's endings. A retry replaces what an
 * earlier attempt of the same step stored, so results are never duplicated.
 */
export async function collectOutputs(
  db: Db,
  submissionId: string,
  step: PlannedStep,
  workDir: string,
  staged: string[],
  stderrName: string,
): Promise<{ missingEndings: string[] }> {
  await deleteStepFiles(db, submissionId, step.index);
  const names = await readdir(workDir);
  const meta = { submissionId, taskName: step.taskName, stepIndex: step.index, stage: step.stage };
  const store = (name: string, kind: 'result' | 'stdout' | 'stderr') =>
    storeFileFromPath(db, { ...meta, kind, name }, path.join(workDir, name));
  await store(stderrName, 'stderr');
  const found = new Set<string>();
  for (const name of names.sort()) {
    if (staged.includes(name) || name === stderrName) continue;
    const ending = step.outputEndings.find((e) => name.endsWith(e));
    // Stdout counts as a result when a task declares its ending as an output, as A_A tasks do.
    if (ending) found.add(ending);
    if (ending) await store(name, 'result');
    else if (name === step.stdoutName) await store(name, 'stdout');
  }
  return { missingEndings: step.outputEndings.filter((e) => !found.has(e)) };
}
