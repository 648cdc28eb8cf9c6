import { Histogram } from 'prom-client';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/create-db.ts';

export interface SqlHistogramOptions<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  buckets: number[];
  /** Rows with one text column per label and `v`, the observed value in seconds. */
  source: RawBuilder<unknown>;
}

type Row = Record<string, string | number>;
type Collected<L extends string> = Awaited<ReturnType<Histogram<L>['get']>>;

/**
 * A histogram whose buckets PostgreSQL counts at scrape time from rows already recorded (step
 * runs), so every API replica reports the same totals and no worker needs an HTTP port.
 */
export class SqlHistogram<L extends string> extends Histogram<L> {
  readonly #db: Db;
  readonly #options: SqlHistogramOptions<L>;

  constructor(db: Db, options: SqlHistogramOptions<L>) {
    super({
      name: options.name,
      help: options.help,
      labelNames: options.labelNames,
      buckets: options.buckets,
      registers: [],
    });
    this.#db = db;
    this.#options = options;
  }

  override get(): Promise<Collected<L>> {
    return this.#count();
  }

  /** What the registry calls for the text format (prom-client's Histogram has it besides get). */
  getForPromString(): Promise<Collected<L>> {
    return this.#count();
  }

  async #count(): Promise<Collected<L>> {
    const { name, help, labelNames, buckets, source } = this.#options;
    const labels = sql.join(labelNames.map((l) => sql.ref(l)));
    const counts = buckets.map((b, i) => sql`count(*) filter (where v <= ${b})::integer as ${sql.raw(`b${i}`)}`);
    const { rows } = await sql<Row>`
      select ${labels}, count(*)::integer as count, coalesce(sum(v), 0)::float8 as sum, ${sql.join(counts)}
      from (${source}) observed group by ${labels} order by ${labels}`.execute(this.#db);
    const values = rows.flatMap((row) => {
      const labelValues: Record<string, string> = Object.fromEntries(labelNames.map((l) => [l, String(row[l])]));
      return [
        ...buckets.map((le, i) => ({
          metricName: `${name}_bucket`,
          labels: { ...labelValues, le },
          value: Number(row[`b${i}`]),
        })),
        { metricName: `${name}_bucket`, labels: { ...labelValues, le: '+Inf' }, value: Number(row.count) },
        { metricName: `${name}_sum`, labels: labelValues, value: Number(row.sum) },
        { metricName: `${name}_count`, labels: labelValues, value: Number(row.count) },
      ];
    });
    // The same shape Histogram#get returns, which the registry turns into exposition lines.
    return { name, help, type: 'histogram', aggregator: 'sum', values } as unknown as Collected<L>;
  }
}
