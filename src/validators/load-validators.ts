import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUILTIN_VALIDATORS } from './builtin-validators.ts';
import { MAX_PREFIX_BYTES, VALIDATOR_NAME_PATTERN, type Validator, type ValidatorRegistry } from './validator.ts';

const MODULE_FILE = /^(?!.*\.(d|test)\.[cm]?[jt]s$).*\.(m?js|ts)$/;
const loaded = new Map<string, Promise<ValidatorRegistry>>();

/** A plugin declares how much it reads as properties of its function; bad declarations stop start-up. */
function declaredValidator(name: string, file: string, fn: object): Validator {
  const { stream, maxBytes } = fn as { stream?: unknown; maxBytes?: unknown };
  const where = `validator "${name}" in ${file}`;
  if (stream !== undefined && typeof stream !== 'boolean') throw new Error(`${where}: stream must be true or false`);
  if (stream === true && maxBytes !== undefined) throw new Error(`${where}: declares both stream and maxBytes`);
  if (
    maxBytes !== undefined &&
    !(typeof maxBytes === 'number' && Number.isInteger(maxBytes) && maxBytes >= 0 && maxBytes <= MAX_PREFIX_BYTES)
  ) {
    throw new Error(
      `${where}: maxBytes must be an integer from 0 to ${MAX_PREFIX_BYTES}; set stream = true to read more`,
    );
  }
  return fn as Validator;
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
      registry.set(name, declaredValidator(name, file, value));
      origin.set(name, file);
    }
  }
  return registry;
}

/**
 * The built-in validators plus every exported function of the `.js`/`.ts` modules in
 * VALIDATORS_DIR (names starting with `_` are private; docs/validators.md has the contract).
 * Loaded once per folder and process.
 * @example const refusal = await runValidators(await loadValidators(config), job.validators, fileInput(upload));
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
