import type { ValidatorRegistry } from './validator.ts';

/**
 * Runs a job's validators in order on an upload; returns the first that refuses it, or null when
 * all accept. A name missing from the registry refuses, so a stale job never skips a check.
 * @example const failed = runValidators(await loadValidators(config), job.validators, bytes);
 */
export function runValidators(registry: ValidatorRegistry, names: readonly string[], bytes: Uint8Array): string | null {
  for (const name of names) {
    const validator = registry.get(name);
    let ok = false;
    try {
      ok = validator?.(bytes) === true;
    } catch {
      ok = false;
    }
    if (!ok) return name;
  }
  return null;
}
