/**
 * Runs many small requests of the same kind as few statements: a request made while no statement
 * runs goes out on the next turn of the event loop (with whatever arrived in the same turn); those
 * made while one runs wait for it and then go out together. Nothing waits on a timer, so a lone
 * request costs no more than before, and a burst (a batch of cancels at once) costs a few round
 * trips on the pool instead of one per request queued behind each other.
 */
export class StatementBatcher<In, Out> {
  readonly #run: (inputs: In[]) => Promise<Out[]>;
  readonly #maxBatch: number;
  #queue: { input: In; resolve: (out: Out) => void; reject: (err: unknown) => void }[] = [];
  #running = false;

  /** `run` answers each input at the same position of its result. */
  constructor(run: (inputs: In[]) => Promise<Out[]>, maxBatch = 500) {
    this.#run = run;
    this.#maxBatch = maxBatch;
  }

  submit(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.#queue.push({ input, resolve, reject });
      if (!this.#running) {
        this.#running = true;
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      try {
        const outs = await this.#run(batch.map((item) => item.input));
        batch.forEach((item, i) => item.resolve(outs[i]!));
      } catch (err) {
        for (const item of batch) item.reject(err);
      }
    }
    this.#running = false;
  }
}
