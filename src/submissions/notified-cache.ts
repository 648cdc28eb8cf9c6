import type { ChangeListener, SubmissionEvents } from './submission-events.ts';
import { ANY_SUBMISSION } from './submission-events.ts';

export interface NotifiedCacheOptions {
  /** Most entries kept; the oldest go first. */
  maxEntries: number;
  /** Dropped when a change to the submission (or batch) of the same id is announced. */
  keyedBySubmission: boolean;
  /** Dropped whole when the job catalogue changes. */
  onCatalogueChange: boolean;
}

type Source = Pick<SubmissionEvents, 'caughtUp' | 'subscribe' | 'session'>;

/**
 * Values read from PostgreSQL, kept while PostgreSQL's change notices (submission-events.ts,
 * sent by triggers on every write) say they still hold. Before each answer the listening
 * connection is caught up, so whatever was committed before the request came, in any process,
 * has already dropped the entries it touched: a read never sees older state than a query would.
 * A load that a notice overtakes is answered but not kept, and while the listening connection is
 * down every read goes to the database.
 */
export class NotifiedCache<V> {
  readonly #source: Source;
  readonly #options: NotifiedCacheOptions;
  readonly #entries = new Map<string, { value: V; session: number }>();
  // Loads under way by key; a notice for the key marks them stale so they are not kept.
  readonly #loading = new Map<string, Set<{ stale: boolean }>>();

  constructor(source: Source, options: NotifiedCacheOptions) {
    this.#source = source;
    this.#options = options;
    const listener: ChangeListener = { lost: () => this.clear() };
    if (options.keyedBySubmission) {
      listener.submissionChanged = (id) => (id === ANY_SUBMISSION ? this.clear() : this.#drop(id));
    }
    if (options.onCatalogueChange) listener.catalogueChanged = () => this.clear();
    source.subscribe(listener);
  }

  /** The value of `key`, from memory when no change to it was announced since it was read; `load` reads it. */
  async get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const session = await this.#source.caughtUp();
    if (session === null) return load();
    const kept = this.#entries.get(key);
    if (kept && kept.session === session) return kept.value;
    const mark = { stale: false };
    const marks = this.#loading.get(key) ?? new Set();
    marks.add(mark);
    this.#loading.set(key, marks);
    try {
      const value = await load();
      if (value !== undefined && !mark.stale && this.#source.session === session) this.#keep(key, value, session);
      return value;
    } finally {
      marks.delete(mark);
      if (marks.size === 0 && this.#loading.get(key) === marks) this.#loading.delete(key);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
    for (const marks of this.#loading.values()) for (const mark of marks) mark.stale = true;
  }

  #drop(key: string): void {
    this.#entries.delete(key);
    for (const mark of this.#loading.get(key) ?? []) mark.stale = true;
  }

  #keep(key: string, value: V, session: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, session });
    if (this.#entries.size > this.#options.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }
}
