import { StatementBatcher } from './statement-batcher.ts';

/** A run function that records each batch and answers after `release` is called. */
function recordingRun() {
  const batches: number[][] = [];
  let release: () => void = () => {};
  const run = async (inputs: number[]) => {
    batches.push(inputs);
    await new Promise<void>((resolve) => (release = resolve));
    return inputs.map((n) => n * 10);
  };
  return { batches, run, release: () => release() };
}

describe('StatementBatcher', () => {
  it('sends the requests of one turn together and answers each with its own result', async () => {
    const r = recordingRun();
    const batcher = new StatementBatcher(r.run);
    const answers = Promise.all([1, 2, 3].map((n) => batcher.submit(n)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.batches).toEqual([[1, 2, 3]]);
    r.release();
    expect(await answers).toEqual([10, 20, 30]);
  });

  it('holds requests made while a batch runs and sends them as the next one', async () => {
    const r = recordingRun();
    const batcher = new StatementBatcher(r.run);
    const first = batcher.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [batcher.submit(2), batcher.submit(3)];
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.batches).toEqual([[1]]);
    r.release();
    expect(await first).toBe(10);
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.batches).toEqual([[1], [2, 3]]);
    r.release();
    expect(await Promise.all(later)).toEqual([20, 30]);
  });

  it('rejects every request of a failed batch and still serves the next', async () => {
    let fail = true;
    const batcher = new StatementBatcher(async (inputs: number[]) => {
      if (fail) throw new Error('database down');
      return inputs;
    });
    const failed = [batcher.submit(1), batcher.submit(2)].map((p) => p.catch((err: Error) => err.message));
    expect(await Promise.all(failed)).toEqual(['database down', 'database down']);
    fail = false;
    expect(await batcher.submit(3)).toBe(3);
  });

  it('splits a burst larger than the batch size', async () => {
    const sizes: number[] = [];
    const batcher = new StatementBatcher(async (inputs: number[]) => (sizes.push(inputs.length), inputs), 2);
    expect(await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.submit(n)))).toEqual([1, 2, 3, 4, 5]);
    expect(sizes).toEqual([2, 2, 1]);
  });
});
