import type { SubmissionView } from '../../src/api/submission-schemas.ts';

type StepView = SubmissionView['stages'][number]['steps'][number];

export function sampleStep(index: number, task: string, overrides: Partial<StepView> = {}): StepView {
  return {
    index,
    task,
    backend: 'cpu',
    status: 'pending',
    attempt: 0,
    exitCode: null,
    host: null,
    message: '',
    startedAt: null,
    finishedAt: null,
    ...overrides,
  };
}

/** A three-step submission (blast, then psipred beside disopred) for renderer tests; stages get their steps as given. */
export function sampleView(
  overrides: Partial<SubmissionView> = {},
  steps: StepView[][] = defaultSteps(),
): SubmissionView {
  return {
    id: '0b6f3c2e-1d2a-4c55-9a77-2f1e4d5c6b7a',
    batchId: null,
    job: 'psipred',
    name: 'my run',
    status: 'running',
    lastMessage: 'Running',
    priority: 0,
    createdAt: '2026-01-01T10:00:00.000Z',
    startedAt: '2026-01-01T10:00:00.000Z',
    finishedAt: null,
    stages: steps.map((s, i) => ({ stage: i + 1, status: s[0]?.status ?? 'pending', steps: s })),
    messages: [],
    files: [],
    links: { self: '/x', cancel: '/x/cancel', graph: '/x/graph.svg' },
    ...overrides,
  };
}

function defaultSteps(): StepView[][] {
  return [
    [
      sampleStep(0, 'blast', {
        status: 'complete',
        attempt: 1,
        exitCode: 0,
        startedAt: '2026-01-01T10:00:00.000Z',
        finishedAt: '2026-01-01T10:00:12.000Z',
      }),
    ],
    [
      sampleStep(1, 'psipred', {
        backend: 'gpu',
        status: 'running',
        attempt: 2,
        startedAt: '2026-01-01T10:00:12.000Z',
      }),
      sampleStep(2, 'disopred'),
    ],
  ];
}
