// The HTTP calls the scenarios make, as any client of the API would make them.

export const TERMINAL = new Set(['complete', 'error', 'crash', 'cancelled', 'deleted', 'expired']);

export interface BenchTarget {
  url: string;
  adminToken: string;
}

export async function adminPut(target: BenchTarget, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${target.url}${path}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${target.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`PUT ${path} answered ${res.status}: ${await res.text()}`);
}

// Anonymous submissions are cancelled with the control token their POST returned, kept here by id.
const controlTokens = new Map<string, string>();

/** POSTs a JSON submission without input and returns its id. */
export async function submit(url: string, job: string, name = 'bench'): Promise<string> {
  const res = await fetch(`${url}/api/v1/jobs/${job}/submissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ submissionName: name }),
  });
  const body = (await res.json()) as { id?: string; controlToken?: string };
  if (res.status !== 201 || !body.id) throw new Error(`POST ${job} answered ${res.status}: ${JSON.stringify(body)}`);
  if (body.controlToken) controlTokens.set(body.id, body.controlToken);
  return body.id;
}

/** POSTs the cancel of a submission made by `submit`, with its control token. */
export function requestCancel(url: string, id: string): Promise<Response> {
  const token = controlTokens.get(id);
  return fetch(`${url}/api/v1/submissions/${id}/cancel`, {
    method: 'POST',
    headers: token ? { 'Submission-Token': token } : {},
  });
}

export interface SubmissionState {
  status: string;
  lastMessage: string;
  files: { id: string; kind: string; name: string; size: number; url: string }[];
}

export async function getSubmission(url: string, id: string, waitSeconds = 0): Promise<SubmissionState> {
  const res = await fetch(`${url}/api/v1/submissions/${id}${waitSeconds ? `?wait=${waitSeconds}` : ''}`);
  if (!res.ok) throw new Error(`GET ${id} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as SubmissionState;
}

/** Long-polls with ?wait until the submission reaches a terminal status. */
export async function waitForEnd(url: string, id: string, timeoutMs = 120_000): Promise<SubmissionState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await getSubmission(url, id, 30);
    if (TERMINAL.has(state.status)) return state;
    if (Date.now() > deadline) throw new Error(`submission ${id} still ${state.status} after ${timeoutMs} ms`);
  }
}

/** POST, then ?wait until terminal: the milliseconds a client sees from submitting to its result. */
export async function timedRun(url: string, job: string): Promise<{ ms: number; status: string; id: string }> {
  const t0 = performance.now();
  const id = await submit(url, job);
  const state = await waitForEnd(url, id);
  return { ms: performance.now() - t0, status: state.status, id };
}

/**
 * Runs `run` with `concurrency` loops in flight until `durationMs` passes; returns what ended inside
 * the window (the rate), and everything that ended, the runs in flight at the window's end included
 * (CPU measured until the last of them ends is divided by these).
 */
export async function closedLoop<T>(
  concurrency: number,
  durationMs: number,
  run: () => Promise<T>,
): Promise<{ inWindow: T[]; all: T[]; windowMs: number; failures: number }> {
  const start = performance.now();
  const end = start + durationMs;
  const inWindow: T[] = [];
  const all: T[] = [];
  let failures = 0;
  const loop = async () => {
    while (performance.now() < end) {
      try {
        const result = await run();
        all.push(result);
        if (performance.now() <= end) inWindow.push(result);
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { inWindow, all, windowMs: durationMs, failures };
}
