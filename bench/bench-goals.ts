// The goals of issue 19, one row each: ours, the bare Temporal (or disk) floor from the same run,
// their ratio and whether the goal is met. Rows whose figures this run did not measure show "—".
import { round, type Figure } from './bench-stats.ts';

const MB = 1024 * 1024;

type Figures = Map<string, Figure>;

interface Side {
  value: number;
  text: string;
}

interface GoalRow {
  figure: string;
  ours: Side | undefined;
  floor?: Side | undefined;
  /** The goal as written, and a test of the value it applies to (the ratio ours/floor when the row has a floor). */
  goal: string;
  met?: (value: number) => boolean;
}

const side = (value: number | undefined, text: (v: number) => string): Side | undefined =>
  value === undefined || !Number.isFinite(value) ? undefined : { value, text: text(value) };

const fmt = (unit: string) => (v: number) => `${round(v, v < 10 ? 2 : 1)} ${unit}`;

const isFloor = (f: Figure) => /floor|copy|sha256/.test(f.name) && f.unit.startsWith('MB/s');

/** MB/s of the memory scenario's upload or download: its own MB/s figure, else its bytes over its seconds. */
function transferRate(figures: Figures, kind: 'upload' | 'download'): Side | undefined {
  const own = [...figures.values()].find((f) => f.name.includes(kind) && f.unit.startsWith('MB/s') && !isFloor(f));
  const data = figures.get(`memory-${kind}`)?.data as { bytes?: number; seconds?: number } | undefined;
  const bytes = data?.bytes;
  const value = own?.value ?? (bytes && data.seconds ? bytes / MB / data.seconds : undefined);
  return side(value, (v) => `${round(v)} MB/s${bytes ? ` (${round(bytes / MB)} MiB)` : ''}`);
}

/**
 * The floor of an upload or a download: the one the memory scenario judged it by (an upload must
 * write and hash every byte, a download only reads), else the slowest file floor of the run.
 */
function fileFloor(figures: Figures, kind: 'upload' | 'download'): Side | undefined {
  const judged = (figures.get(`files-${kind}-speed`)?.data as { floor?: number } | undefined)?.floor;
  if (judged) return side(judged, (v) => `${round(v)} MB/s (files-floor, ${kind})`);
  const floors = [...figures.values()].filter(isFloor);
  if (floors.length === 0) return undefined;
  const lowest = floors.reduce((a, b) => (b.value < a.value ? b : a));
  return side(lowest.value, (v) => `${round(v)} MB/s (${lowest.name})`);
}

function cpuText(figure: Figure | undefined): (v: number) => string {
  const { total: _total, ...byRole } = (figure?.data ?? {}) as Record<string, number>;
  const roles = Object.entries(byRole).map(([role, ms]) => `${role} ${round(ms)}`);
  return (v) => `${round(v)} ms (${roles.join(', ')})`;
}

function rows(f: Figures): GoalRow[] {
  const value = (name: string) => f.get(name)?.value;
  const withRatio = (name: string) => side(value(name), fmt(f.get(name)?.unit ?? ''));
  const cancel = f.get('cancel-status-after-dead')?.data as { p50?: number; max?: number } | undefined;
  const atScale = f.get('cancel-at-scale-20-status-after-dead')?.data as { p50?: number; max?: number } | undefined;
  return [
    {
      figure: '1-step latency p50',
      ours: withRatio('latency'),
      floor: withRatio('bare-latency'),
      goal: '≤ 1.2×',
      met: (r) => r <= 1.2,
    },
    {
      figure: '1-step throughput, 32 in flight',
      ours: withRatio('throughput-1-step'),
      floor: withRatio('bare-throughput'),
      goal: '≥ 0.8×',
      met: (r) => r >= 0.8,
    },
    {
      figure: 'CPU per 1-step job, all processes',
      ours: side(value('cpu-1-step'), cpuText(f.get('cpu-1-step'))),
      floor: side(value('bare-cpu-1-step'), cpuText(f.get('bare-cpu-1-step'))),
      goal: '≤ 1.3×',
      met: (r) => r <= 1.3,
    },
    {
      figure: 'CPU per 3-step job, all processes',
      ours: side(value('cpu-3-step'), cpuText(f.get('cpu-3-step'))),
      floor: side(value('bare-cpu-3-step'), cpuText(f.get('bare-cpu-3-step'))),
      goal: '≤ 1.3×',
      met: (r) => r <= 1.3,
    },
    {
      figure: '3-step throughput, 32 in flight',
      ours: withRatio('throughput-3-step'),
      floor: withRatio('bare-throughput-3-step'),
      goal: '≥ 0.8×',
      met: (r) => r >= 0.8,
    },
    {
      figure: 'history events per 1-step job',
      ours: withRatio('history-1-step'),
      floor: withRatio('bare-history-1-step'),
      goal: '— (each event is work for the Temporal server)',
    },
    {
      figure: 'history events per 3-step job',
      ours: withRatio('history-3-step'),
      floor: withRatio('bare-history-3-step'),
      goal: '— (each event is work for the Temporal server)',
    },
    {
      figure: 'upload through the API (memory scenario file)',
      ours: transferRate(f, 'upload'),
      floor: fileFloor(f, 'upload'),
      goal: '≥ 0.6× of the floor',
      met: (r) => r >= 0.6,
    },
    {
      figure: 'download through the API (memory scenario file)',
      ours: transferRate(f, 'download'),
      floor: fileFloor(f, 'download'),
      goal: '≥ 0.6× of the floor',
      met: (r) => r >= 0.6,
    },
    {
      figure: 'cancel: last PID dead → status cancelled',
      ours: side(cancel?.max, (v) => `max ${round(v)} ms, p50 ${round(cancel?.p50 ?? NaN)} ms`),
      goal: '≤ 300 ms',
      met: (v) => v <= 300,
    },
    {
      figure: 'cancel of 20 at once: last PID dead → status',
      ours: side(atScale?.max, (v) => `max ${round(v)} ms, p50 ${round(atScale?.p50 ?? NaN)} ms`),
      goal: '≤ 300 ms',
      met: (v) => v <= 300,
    },
    {
      figure: 'POST submissions at 50 connections',
      ours: withRatio('api-post-c50'),
      floor: withRatio('bare-start-c50'),
      goal: '≥ 0.8× of bare workflow.start',
      met: (r) => r >= 0.8,
    },
    {
      figure: 'idle RSS orchestrator',
      ours: withRatio('rss-idle-orchestrator'),
      goal: '≤ 250 MB',
      met: (v) => v <= 250,
    },
    {
      figure: 'GET submission status at 50 connections',
      ours: withRatio('api-get-c50'),
      goal: '≥ 2,000 req/s',
      met: (v) => v >= 2000,
    },
    {
      figure: 'A_A facade: latency p50, one at a time, vs native',
      ours: withRatio('facade-latency'),
      floor: withRatio('latency'),
      goal: '≤ 1.0× (as fast as native)',
      met: (r) => r <= 1.0,
    },
    {
      figure: 'A_A facade: throughput 16 in flight, vs native',
      ours: withRatio('facade-throughput'),
      floor: withRatio('native-throughput-16'),
      goal: '≥ 1.0× (as fast as native)',
      met: (r) => r >= 1.0,
    },
    // Stock A_A, measured once for issue 19 on this machine (it is not installed by the bench).
    {
      figure: 'A_A facade latency p50 vs stock A_A (133 ms, issue 19)',
      ours: withRatio('facade-latency'),
      floor: { value: 133, text: '133 ms (issue 19)' },
      goal: '≤ 1.0×',
      met: (r) => r <= 1.0,
    },
    {
      figure: 'A_A facade throughput 16 vs stock A_A (9.40 jobs/s, issue 19)',
      ours: withRatio('facade-throughput'),
      floor: { value: 9.4, text: '9.4 jobs/s (issue 19)' },
      goal: '≥ 2×',
      met: (r) => r >= 2,
    },
    {
      figure: 'A_A facade: status GETs per job at 16 in flight (20 ms polls)',
      ours: side((f.get('facade-throughput')?.data as { getsPerJob?: number } | undefined)?.getsPerJob, fmt('GETs')),
      floor: { value: 2.3, text: '2.3 GETs (stock A_A, issue 19)' },
      goal: '— (each GET cheap enough not to matter)',
    },
  ];
}

/** The markdown table of every goal, printed at the end of a run and kept in summary.md. */
export function goalsTable(figures: Figures): string {
  const lines = rows(figures).map((row) => {
    const quotient = row.ours && row.floor ? row.ours.value / row.floor.value : undefined;
    // A window in which nothing completed measures nothing (0/0).
    const ratio = quotient !== undefined && Number.isFinite(quotient) ? quotient : undefined;
    const judged = 'floor' in row ? ratio : row.ours?.value;
    const verdict = !row.met ? '' : judged === undefined ? 'not measured' : row.met(judged) ? 'met' : 'NOT MET';
    return `| ${row.figure} | ${row.ours?.text ?? '—'} | ${row.floor?.text ?? '—'} | ${ratio === undefined ? '—' : `${round(ratio, 2)}×`} | ${row.goal} | ${verdict} |`;
  });
  return ['| figure | ours | bare / floor | ratio | goal | |', '| --- | --- | --- | --- | --- | --- |', ...lines].join(
    '\n',
  );
}
