import type { SubmissionView } from '../api/submission-schemas.ts';

type StepView = SubmissionView['stages'][number]['steps'][number];

export interface RenderOptions {
  now: Date;
  /** ANSI colours for statuses (a TTY that has not asked for NO_COLOR). */
  color: boolean;
  /** Lines are cut to this many columns, so a redraw never wraps. */
  width?: number;
}

const SYMBOL: Record<string, string> = {
  pending: '·',
  submitted: '·',
  running: '▶',
  complete: '✔',
  cached: '↺',
  error: '✘',
  crash: '!',
  cancelled: '⊘',
  skipped: '-',
};

const ANSI: Record<string, string> = {
  pending: '90',
  submitted: '90',
  skipped: '90',
  running: '36',
  complete: '32',
  cached: '32',
  error: '31',
  crash: '35',
  cancelled: '33',
};

interface Segment {
  text: string;
  status?: string;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

function elapsed(startedAt: string | null, finishedAt: string | null, now: Date): string {
  if (!startedAt) return '';
  return formatDuration((finishedAt ? Date.parse(finishedAt) : now.getTime()) - Date.parse(startedAt));
}

function stepDetail(step: StepView): string {
  const parts: string[] = [];
  if (step.map) parts.push(`${step.map.done}/${step.map.total} items`);
  if (step.parents?.length) parts.push(`after ${step.parents.join(', ')}`);
  if (step.status === 'skipped' && step.condition) parts.push(step.condition);
  if (step.attempt > 1) parts.push(`attempt ${step.attempt}`);
  if (step.exitCode !== null && step.status !== 'complete') parts.push(`exit ${step.exitCode}`);
  if (['error', 'crash', 'cancelled'].includes(step.status) && step.message) parts.push(step.message.split('\n')[0]!);
  return parts.join(', ');
}

// Cuts a line of segments to width visible characters, then colours only the status segments.
function toLine(segments: Segment[], options: RenderOptions): string {
  let room = options.width ? options.width - 1 : Infinity;
  let out = '';
  for (const segment of segments) {
    if (room <= 0) break;
    const chars = [...segment.text];
    const text = chars.length > room ? `${chars.slice(0, Math.max(0, room - 1)).join('')}…` : segment.text;
    room -= Math.min(chars.length, room);
    const code = segment.status && options.color ? ANSI[segment.status] : undefined;
    out += code ? `\x1b[${code}m${text}\x1b[0m` : text;
  }
  return out.trimEnd();
}

const statusCell = (status: string, pad: number): Segment => ({
  text: `${SYMBOL[status] ?? '?'} ${status}`.padEnd(pad),
  status,
});

/** The task and backend, after the step's name when a graph run gave it one of its own. */
const label = (step: StepView) =>
  `${step.name && step.name !== step.task ? `${step.name}: ` : ''}${step.task} on ${step.backend}`;

/** The whole progress of a submission as lines: a header, one line per step grouped by stage, the last message. */
export function renderProgress(view: SubmissionView, options: RenderOptions): string[] {
  const total = view.stages.reduce((n, stage) => n + stage.steps.length, 0);
  const lines: string[] = [];
  const header: Segment[] = [
    { text: `${view.name} · job ${view.job} · ` },
    statusCell(view.status, 0),
    { text: view.startedAt ? ` · ${elapsed(view.startedAt, view.finishedAt, options.now)}` : '' },
  ];
  lines.push(toLine(header, options));
  const taskWidth = Math.max(...view.stages.flatMap((s) => s.steps.map((step) => label(step).length)), 0);
  for (const stage of view.stages) {
    stage.steps.forEach((step, i) => {
      const detail = stepDetail(step);
      lines.push(
        toLine(
          [
            { text: i === 0 ? `  stage ${stage.stage}  ` : ' '.repeat(`  stage ${stage.stage}  `.length) },
            { text: `step ${step.index + 1}/${total}  ` },
            statusCell(step.status, 12),
            { text: label(step).padEnd(taskWidth + 2) },
            { text: elapsed(step.startedAt, step.finishedAt, options.now).padEnd(7) },
            { text: detail ? ` ${detail}` : '' },
          ],
          options,
        ),
      );
    });
  }
  if (view.lastMessage) lines.push(toLine([{ text: `  ${view.lastMessage.split('\n')[0]}` }], options));
  return lines;
}

/** Terminal control to replace the previous drawing (previousLines tall) with lines. */
export function redraw(previousLines: number, lines: string[]): string {
  const up = previousLines > 0 ? `\x1b[${previousLines}A\r\x1b[0J` : '';
  return `${up}${lines.join('\n')}\n`;
}
