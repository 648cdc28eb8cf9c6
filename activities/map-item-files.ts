import { rename, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../src/db/create-db.ts';
import { STEP_FAILED, type PlannedMap, type PlannedStep } from '../src/domain/execution-plan.ts';
import { globMatch } from '../src/domain/glob-match.ts';
import { itemFilePrefix, plannedStepOf } from '../src/domain/map-items.ts';
import { copyStoredFile, readFileChunks } from '../src/files/file-store.ts';
import { listFilesOfSteps } from '../src/submissions/submission-file-repository.ts';

// Lines are read whole to be counted and cut: a list to map over is small next to the data its items make.
const MAX_LINES_FILE_BYTES = 64 * 1024 * 1024;

/** The files a map's source names, in name order: the upload, or a parent's results matching its pattern. */
async function sourceFiles(db: Db, submissionId: string, map: PlannedMap) {
  const source = map.source;
  if ('values' in source) return [];
  const files = await listFilesOfSteps(db, submissionId, 'step' in source ? [source.step] : []);
  return files
    .filter((f) =>
      'step' in source
        ? f.kind === 'result' && plannedStepOf(f.step_index!) === source.step && globMatch(source.glob, f.name)
        : f.kind === 'input',
    )
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function linesOf(db: Db, submissionId: string, map: PlannedMap): Promise<string[]> {
  const [file] = await sourceFiles(db, submissionId, map);
  if (!file) return [];
  if (file.size > MAX_LINES_FILE_BYTES) {
    throw ApplicationFailure.create({
      type: STEP_FAILED,
      message: `${file.name} is ${file.size} bytes; a map over lines reads at most ${MAX_LINES_FILE_BYTES}`,
      nonRetryable: true,
    });
  }
  const chunks: Uint8Array[] = [];
  for await (const chunk of readFileChunks(db, file.id)) chunks.push(chunk);
  return Buffer.concat(chunks)
    .toString('utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
}

/** How many items a map step runs. */
export async function countMapItems(db: Db, submissionId: string, map: PlannedMap): Promise<number> {
  if ('values' in map.source) return map.source.values.length;
  if (map.over === 'lines') return (await linesOf(db, submissionId, map)).length;
  return (await sourceFiles(db, submissionId, map)).length;
}

/** Writes one item where the task's first input is expected: the line or value as a one-line file, or the file itself. */
export async function stageMapItem(
  db: Db,
  submissionId: string,
  item: NonNullable<PlannedStep['item']>,
  workDir: string,
  inputName: string,
): Promise<string[]> {
  const { map, number } = item;
  const target = path.join(workDir, inputName);
  if ('values' in map.source) await writeFile(target, `${map.source.values[number]}\n`);
  else if (map.over === 'lines') await writeFile(target, `${(await linesOf(db, submissionId, map))[number]}\n`);
  else {
    const file = (await sourceFiles(db, submissionId, map))[number];
    if (!file)
      throw ApplicationFailure.create({ type: STEP_FAILED, message: `no item ${number + 1}`, nonRetryable: true });
    await copyStoredFile(db, file.id, target);
  }
  return [inputName];
}

/** Renames an item's outputs so that every item's results can sit side by side, in item order, for the steps after. */
export async function prefixItemOutputs(workDir: string, step: PlannedStep, staged: string[]): Promise<void> {
  const prefix = itemFilePrefix(step.item!.number);
  for (const name of await readdir(workDir)) {
    if (staged.includes(name) || !step.outputEndings.some((ending) => name.endsWith(ending))) continue;
    await rename(path.join(workDir, name), path.join(workDir, prefix + name));
  }
}
