import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUILTIN_VALIDATORS } from './builtin-validators.ts';
import { VALIDATOR_NAME_PATTERN, type Validator, type ValidatorRegistry } from './validator.ts';

const MODULE_FILE = /^(?!.*\.(d|test)\.[cm]?[jt]s$).*\.(m?js|ts)$/;
const loaded = new Map<string, Promise<ValidatorRegistry>>();

/** A plugin that throws or answers anything but `true` refuses the upload. */
function guard(fn: (bytes: Uint8Array) => unknown): Validator {
  return (bytes) => {
    try {
      return fn(bytes) === true;
    } catch {
      return false;
    }
  };
}

async function loadFolder(dir: string): Promise<ValidatorRegistry> {
  const registry = new Map<string, Validator>(BUILTIN_VALIDATORS);
  const origin = new Map<string, string>([...BUILTIN_VALIDATORS.keys()].map((name) => [name, 'built-in']));
  const files = (await readdir(dir)).filter((f) => MODULE_FILE.test(f)).sort();
  for (const file of files) {
    const module: Record<string, unknown> = await import(pathToFileURL(path.join(dir, file)).href);
    for (const [name, value] of Object.entries(module)) {
      if (typeof value !== 'function' || name.startsWith('_') || name === 'default') continue;
      if (!VALIDATOR_NAME_PATTERN.test(name))
        throw new Error(`validator "${name}" in ${file}: name must match ${VALIDATOR_NAME_PATTERN}`);
      const earlier = origin.get(name);
      if (earlier) throw new Error(`validator "${name}" in ${file} is already defined (${earlier})`);
      registry.set(name, guard(value as (bytes: Uint8Array) => unknown));
      origin.set(name, file);
    }
  }
  return registry;
}

/**
 * The built-in validators plus every exported function of the `.js`/`.ts` modules in
 * VALIDATORS_DIR (names starting with `_` are private). Loaded once per folder and process.
 * @example const registry = await loadValidators(config); registry.get('seq')?.(bytes);
 */
export function loadValidators(config: { validatorsDir?: string }): Promise<ValidatorRegistry> {
  const dir = config.validatorsDir ? path.resolve(config.validatorsDir) : '';
  if (!dir) return Promise.resolve(BUILTIN_VALIDATORS);
  let registry = loaded.get(dir);
  if (!registry) {
    registry = loadFolder(dir);
    loaded.set(dir, registry);
  }
  return registry;
}

export function isBuiltinValidator(name: string): boolean {
  return BUILTIN_VALIDATORS.has(name);
}
