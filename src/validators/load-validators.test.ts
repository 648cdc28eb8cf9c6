import path from 'node:path';
import { bytesInput } from '../../test/helpers/bytes-input.ts';
import { PROJECT_ROOT } from '../project-paths.ts';
import { loadValidators } from './load-validators.ts';
import { runValidator } from './run-validators.ts';

const fixtures = (name: string) => path.join(PROJECT_ROOT, 'test', 'fixtures', name);
const text = (s: string) => new TextEncoder().encode(s);

describe('validator registry', () => {
  it('has the A_A built-ins when no folder is configured', async () => {
    const registry = await loadValidators({});
    expect([...registry.keys()].sort()).toEqual(['gif', 'jpeg', 'none', 'pdb_file', 'png', 'seq']);
  });

  it('adds every public exported function of the folder modules, .js and .ts', async () => {
    const registry = await loadValidators({ validatorsDir: fixtures('validators') });
    expect(registry.has('startsWithHash')).toBe(true);
    expect(registry.has('evenLength')).toBe(true);
    expect(registry.has('_helperIsPrivate')).toBe(false);
    expect(registry.has('notAFunction')).toBe(false);
    expect(await runValidator(registry.get('startsWithHash')!, bytesInput(text('# hi')))).toBe(true);
    expect(await runValidator(registry.get('evenLength')!, bytesInput(text('odd')))).toBe(false);
  });

  it('turns a throwing or non-boolean plugin into a refusal', async () => {
    const registry = await loadValidators({ validatorsDir: fixtures('validators') });
    expect(await runValidator(registry.get('throwsAlways')!, bytesInput(text('x')))).toBe(false);
    expect(await runValidator(registry.get('answersTruthyNotTrue')!, bytesInput(text('x')))).toBe(false);
  });

  it('gives a plugin what it declares: its first maxBytes, or a stream of every chunk', async () => {
    const registry = await loadValidators({ validatorsDir: fixtures('validators') });
    const run = (name: string, bytes: Uint8Array) => runValidator(registry.get(name)!, bytesInput(bytes, 3));
    expect(await run('firstFourBytes', text('0123456789'))).toBe(true);
    expect(await run('firstFourBytes', text('01'))).toBe(true);
    expect(await run('noNulBytes', text('0123456789'))).toBe(true);
    expect(await run('noNulBytes', new Uint8Array([1, 2, 3, 4, 5, 0, 7]))).toBe(false);
    expect(await run('answersLater', text('x'))).toBe(true);
  });

  it('refuses a plugin that redefines a built-in', async () => {
    await expect(loadValidators({ validatorsDir: fixtures('validators-clash') })).rejects.toThrow(
      /"seq" in clash.js is already defined/,
    );
  });

  it('refuses a plugin that declares more than a prefix validator may read', async () => {
    await expect(loadValidators({ validatorsDir: fixtures('validators-oversized') })).rejects.toThrow(
      /"wholeFile" in oversized.js: maxBytes must be an integer from 0 to 67108864; set stream = true/,
    );
  });

  it('fails clearly when the folder does not exist', async () => {
    await expect(loadValidators({ validatorsDir: fixtures('no-such-folder') })).rejects.toThrow(/ENOENT/);
  });
});
