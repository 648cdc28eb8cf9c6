import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * Where `file` would be found when run with this PATH and working directory, as execvp does it, or
 * null. Steps start through a wrapper, so a missing program is caught here, before the wrapper, and
 * reported by name instead of as the wrapper's exit code.
 */
export async function findExecutable(
  file: string,
  searchPath: string | undefined,
  cwd: string,
): Promise<string | null> {
  if (file.includes('/')) {
    const full = path.resolve(cwd, file);
    return (await isExecutableFile(full)) ? full : null;
  }
  for (const dir of (searchPath ?? '').split(':')) {
    const full = path.resolve(cwd, dir || '.', file);
    if (await isExecutableFile(full)) return full;
  }
  return null;
}
