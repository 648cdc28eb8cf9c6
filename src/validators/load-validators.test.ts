import path from 'node:path';
import { PROJECT_ROOT } from '../project-paths.ts';
import { loadValidators } from './load-validators.ts';
import { runValidators } from './run-validators.ts';

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
    expect(registry.get('startsWithHash')!(text('# hi'))).toBe(true);
    expect(registry.get('evenLength')!(text('odd'))).toBe(false);
  });

  it('turns a throwing or non-boolean plugin into a refusal', async () => {
    const registry = await loadValidators({ validatorsDir: fixtures('validators') });
    expect(registry.get('throwsAlways')!(text('x'))).toBe(false);
    expect(registry.get('answersTruthyNotTrue')!(text('x'))).toBe(false);
  });

  it('refuses a plugin that redefines a built-in', async () => {
    await expect(loadValidators({ validatorsDir: fixtures('validators-clash') })).rejects.toThrow(
      /"seq" in clash.js is already defined/,
    );
  });

  it('fails clearly when the folder does not exist', async () => {
    await expect(loadValidators({ validatorsDir: fixtures('no-such-folder') })).rejects.toThrow(/ENOENT/);
  });
});

describe('runValidators', () => {
  const registry = new Map([
    ['yes', () => true],
    ['no', () => false],
    [
      'boom',
      (): boolean => {
        throw new Error('bad');
      },
    ],
  ]);

  it('answers null when every validator accepts, or when there are none', () => {
    expect(runValidators(registry, ['yes', 'yes'], text('x'))).toBeNull();
    expect(runValidators(registry, [], text('x'))).toBeNull();
  });

  it('names the first validator that refuses, throws or is unknown', () => {
    expect(runValidators(registry, ['yes', 'no', 'boom'], text('x'))).toBe('no');
    expect(runValidators(registry, ['boom'], text('x'))).toBe('boom');
    expect(runValidators(registry, ['missing', 'no'], text('x'))).toBe('missing');
  });
});
