import type { SubmissionView } from './submission-schemas.ts';

type StepView = SubmissionView['stages'][number]['steps'][number];

/** Fill and stroke per status; the legend lists them in this order. */
export const STATUS_COLOURS: Record<string, { fill: string; stroke: string }> = {
  pending: { fill: '#e5e7eb', stroke: '#6b7280' },
  running: { fill: '#bfdbfe', stroke: '#2563eb' },
  complete: { fill: '#bbf7d0', stroke: '#16a34a' },
  cached: { fill: '#ccfbf1', stroke: '#0d9488' },
  error: { fill: '#fecaca', stroke: '#dc2626' },
  crash: { fill: '#f5d0fe', stroke: '#a21caf' },
  cancelled: { fill: '#fde68a', stroke: '#b45309' },
  skipped: { fill: '#f9fafb', stroke: '#9ca3af' },
};

const STAGE_WIDTH = 220;
const ARROW_GAP = 56;
const STEP_HEIGHT = 46;
const STEP_GAP = 10;
const PAD = 20;
const TOP = 64;

// eslint-disable-next-line no-control-regex -- XML 1.0 forbids these control characters in text
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

/** Text for SVG: task names and messages are user data. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(XML_FORBIDDEN, '');
}

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

const colours = (status: string) => STATUS_COLOURS[status] ?? STATUS_COLOURS.pending!;

function stepBox(step: StepView, total: number, x: number, y: number): string {
  const { fill, stroke } = colours(step.status);
  const detail = [
    step.map ? `${step.map.done}/${step.map.total} items` : '',
    step.status,
    step.attempt > 1 ? `attempt ${step.attempt}` : '',
    step.exitCode !== null && step.status !== 'complete' ? `exit ${step.exitCode}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const named = step.name && step.name !== step.task ? `${step.name} (${step.task})` : step.task;
  const tooltip = [`step ${step.index + 1}/${total}: ${named} on backend ${step.backend}`, detail, step.message]
    .filter(Boolean)
    .join('\n');
  // A map step is drawn as a stack of cards; a skipped one with a dashed border.
  const rect = (dx: number, cls: string) =>
    `<rect class="${cls}" x="${x + dx}" y="${y - dx}" width="${STAGE_WIDTH}" height="${STEP_HEIGHT}" rx="6" fill="${fill}" stroke="${stroke}" stroke-width="1.5"${step.status === 'skipped' ? ' stroke-dasharray="5 3"' : ''}/>`;
  return [
    `<g class="step" data-status="${escapeXml(step.status)}" data-step="${step.index + 1}"${step.map ? ` data-map="${step.map.done}/${step.map.total}"` : ''}>`,
    `<title>${escapeXml(tooltip)}</title>`,
    ...(step.map ? [rect(6, 'stack'), rect(3, 'stack')] : []),
    rect(0, 'box'),
    `<text x="${x + 10}" y="${y + 19}" font-weight="bold">${escapeXml(cut(step.name ?? step.task, 26))}</text>`,
    `<text x="${x + 10}" y="${y + 36}" font-size="11" fill="#374151">${escapeXml(cut(`on ${step.backend} · ${detail}`, 36))}</text>`,
    '</g>',
  ].join('');
}

function legend(y: number): string {
  return Object.entries(STATUS_COLOURS)
    .map(([status, { fill, stroke }], i) => {
      const x = PAD + i * 100;
      return `<g class="legend-item" data-status="${status}"><rect x="${x}" y="${y}" width="14" height="14" rx="3" fill="${fill}" stroke="${stroke}"/><text x="${x + 20}" y="${y + 11}" font-size="12">${status}</text></g>`;
    })
    .join('');
}

/** Lines from each parent's box to its child's, for runs whose steps name their parents. */
function edges(view: SubmissionView, at: Map<string, { x: number; y: number }>): string[] {
  return view.stages.flatMap((stage) =>
    stage.steps.flatMap((step) =>
      (step.parents ?? []).flatMap((parent) => {
        const from = at.get(parent);
        const to = at.get(step.name ?? '');
        if (!from || !to) return [];
        const [x1, y1, x2, y2] = [from.x + STAGE_WIDTH, from.y + STEP_HEIGHT / 2, to.x - 8, to.y + STEP_HEIGHT / 2];
        return [
          `<line class="edge" data-from="${escapeXml(parent)}" data-to="${escapeXml(step.name!)}" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#6b7280" stroke-width="1.5" marker-end="url(#arrowhead)"/>`,
        ];
      }),
    ),
  );
}

/**
 * A picture of a submission's progress: stages left to right, each stage's steps stacked and
 * coloured by status, a title line and a legend. Steps that name their parents (graph runs) are
 * joined parent to child; older runs' stages by one arrow each.
 */
export function renderProgressSvg(view: SubmissionView): string {
  const total = view.stages.reduce((n, stage) => n + stage.steps.length, 0);
  const tallest = Math.max(1, ...view.stages.map((s) => s.steps.length));
  const stagesWidth = view.stages.length * STAGE_WIDTH + Math.max(0, view.stages.length - 1) * ARROW_GAP;
  const width = Math.max(PAD * 2 + stagesWidth, PAD * 2 + Object.keys(STATUS_COLOURS).length * 100);
  const stageHeight = tallest * STEP_HEIGHT + (tallest - 1) * STEP_GAP;
  const legendY = TOP + 22 + stageHeight + 28;
  const height = legendY + 14 + PAD;
  const parts: string[] = [];
  const graph = view.stages.some((stage) => stage.steps.some((step) => step.parents !== undefined));
  const at = new Map<string, { x: number; y: number }>();
  view.stages.forEach((stage, i) => {
    const x = PAD + i * (STAGE_WIDTH + ARROW_GAP);
    parts.push(`<g class="stage" data-stage="${stage.stage}" data-status="${escapeXml(stage.status)}">`);
    parts.push(
      `<text x="${x}" y="${TOP + 10}" font-size="12" fill="#4b5563">stage ${stage.stage} · ${escapeXml(stage.status)}</text>`,
    );
    stage.steps.forEach((step, j) => {
      const y = TOP + 22 + j * (STEP_HEIGHT + STEP_GAP);
      if (step.name) at.set(step.name, { x, y });
      parts.push(stepBox(step, total, x, y));
    });
    parts.push('</g>');
    if (i > 0 && !graph) {
      const y = TOP + 22 + STEP_HEIGHT / 2;
      parts.push(
        `<line class="arrow" x1="${x - ARROW_GAP + 6}" y1="${y}" x2="${x - 8}" y2="${y}" stroke="#6b7280" stroke-width="2" marker-end="url(#arrowhead)"/>`,
      );
    }
  });
  parts.push(...edges(view, at));
  if (view.stages.length === 0) parts.push(`<text x="${PAD}" y="${TOP + 40}" fill="#6b7280">no steps planned</text>`);
  const { stroke } = colours(view.status);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="13">`,
    `<title>${escapeXml(`${view.name} (job ${view.job}): ${view.status}`)}</title>`,
    '<defs><marker id="arrowhead" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#6b7280"/></marker></defs>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text class="title" x="${PAD}" y="${PAD + 14}" font-size="16" font-weight="bold">${escapeXml(cut(`${view.name} · job ${view.job}`, 80))}</text>`,
    `<text class="status" data-status="${escapeXml(view.status)}" x="${PAD}" y="${PAD + 34}" fill="${stroke}">${escapeXml(cut(`${view.status}: ${view.lastMessage}`, 100))}</text>`,
    ...parts,
    legend(legendY),
    '</svg>',
    '',
  ].join('\n');
}
