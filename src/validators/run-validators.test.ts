import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bytesInput } from '../../test/helpers/bytes-input.ts';
import { fileInput, runValidator, runValidators } from './run-validators.ts';
import { DEFAULT_MAX_BYTES, type PrefixValidator, type StreamValidator } from './validator.ts';

const text = (s: string) => new TextEncoder().encode(s);

/** A prefix validator that records what it was given. */
function recordingPrefix(maxBytes?: number) {
  const seen: { length: number; size: number }[] = [];
  const validator: PrefixValidator = Object.assign(
    (bytes: Uint8Array, upload: { size: number }) => {
      seen.push({ length: bytes.length, size: upload.size });
      return true;
    },
    maxBytes === undefined ? {} : { maxBytes },
  );
  return { validator, seen };
}

const concatenated: StreamValidator = Object.assign(
  async (chunks: AsyncIterable<Uint8Array>) => {
    let all = '';
    for await (const chunk of chunks) all += Buffer.from(chunk).toString();
    return all === 'hello, validators';
  },
  { stream: true as const },
);

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

  it('answers null when every validator accepts, or when there are none', async () => {
    expect(await runValidators(registry, ['yes', 'yes'], bytesInput(text('x')))).toBeNull();
    expect(await runValidators(registry, [], bytesInput(text('x')))).toBeNull();
  });

  it('names the first validator that refuses, throws or is unknown', async () => {
    expect(await runValidators(registry, ['yes', 'no', 'boom'], bytesInput(text('x')))).toEqual({
      validator: 'no',
      reason: 'rejected',
    });
    expect(await runValidators(registry, ['boom'], bytesInput(text('x')))).toEqual({
      validator: 'boom',
      reason: 'rejected',
    });
    expect(await runValidators(registry, ['missing', 'no'], bytesInput(text('x')))).toEqual({
      validator: 'missing',
      reason: 'not_installed',
    });
  });
});

describe('runValidator', () => {
  it('gives a prefix validator at most the bytes it declares, and the whole size', async () => {
    const declared = recordingPrefix(4);
    expect(await runValidator(declared.validator, bytesInput(text('0123456789')))).toBe(true);
    expect(await runValidator(declared.validator, bytesInput(text('01')))).toBe(true);
    expect(declared.seen).toEqual([
      { length: 4, size: 10 },
      { length: 2, size: 2 },
    ]);
  });

  it('gives a prefix validator that declares nothing the first DEFAULT_MAX_BYTES', async () => {
    const undeclared = recordingPrefix();
    const big = new Uint8Array(DEFAULT_MAX_BYTES + 10);
    expect(await runValidator(undeclared.validator, bytesInput(big))).toBe(true);
    expect(undeclared.seen).toEqual([{ length: DEFAULT_MAX_BYTES, size: DEFAULT_MAX_BYTES + 10 }]);
  });

  it('waits for an asynchronous answer, and counts only true as acceptance', async () => {
    const later = (answer: unknown) => (async () => answer) as unknown as PrefixValidator;
    expect(await runValidator(later(true), bytesInput(text('x')))).toBe(true);
    expect(await runValidator(later('yes'), bytesInput(text('x')))).toBe(false);
    const rejects: PrefixValidator = async () => Promise.reject(new Error('plugin bug'));
    expect(await runValidator(rejects, bytesInput(text('x')))).toBe(false);
  });
});

describe('fileInput', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'aa-validators-'));
    file = path.join(dir, 'upload');
    await writeFile(file, 'hello, validators');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('streams an upload file to a stream validator and its first bytes to a prefix validator', async () => {
    const upload = fileInput({ path: file, size: 17 });
    expect(await runValidator(concatenated, upload)).toBe(true);
    const declared = recordingPrefix(5);
    expect(await runValidator(declared.validator, upload)).toBe(true);
    expect(declared.seen).toEqual([{ length: 5, size: 17 }]);
    expect(Buffer.from(await upload.prefix(5)).toString()).toBe('hello');
  });

  it('reads no upload as empty', async () => {
    const none = fileInput(null);
    expect(await runValidator(concatenated, none)).toBe(false);
    expect((await none.prefix(10)).length).toBe(0);
  });

  it('fails, rather than refusing the upload, when the upload cannot be read', async () => {
    const missing = fileInput({ path: path.join(dir, 'gone'), size: 17 });
    await expect(runValidator(concatenated, missing)).rejects.toThrow(/ENOENT/);
    await expect(runValidator(recordingPrefix(4).validator, missing)).rejects.toThrow(/ENOENT/);
  });
});
