import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Principal } from '../auth/principal.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/create-db.ts';
import type { UploadedInput } from '../files/uploaded-input.ts';
import { resolveInputRef, type ReferencedInput } from '../submissions/resolve-input-ref.ts';
import type { ScheduleDefinition } from './scheduled-run.ts';

/** Runs `use` with a schedule's inline input as an upload in a temporary file, removed afterwards. */
export async function withInlineUpload<T>(
  input: ScheduleDefinition['input'],
  use: (upload: UploadedInput | null) => Promise<T>,
): Promise<T> {
  if (input === null) return use(null);
  const dir = await mkdtemp(path.join(tmpdir(), 'aa-schedule-'));
  try {
    const file = path.join(dir, 'input');
    await writeFile(file, input.text);
    return await use({ path: file, originalName: input.name, size: Buffer.byteLength(input.text) });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The schedule's dataset as a run's input by reference, checked as the owner may use it; null: none. */
export async function scheduledInputRef(
  deps: { db: Db; config: Config },
  definition: ScheduleDefinition,
  owner: Principal,
): Promise<ReferencedInput | null> {
  return definition.dataset === null ? null : resolveInputRef(deps, { dataset: definition.dataset }, owner);
}
