import type { SubmissionView } from '../api/submission-schemas.ts';
import type { Config } from '../config.ts';
import { describeChanges, finalLine } from './progress-changes.ts';
import { redraw, renderProgress } from './progress-view.ts';
import { followSubmission } from './submission-api.ts';

export type ProgressMode = 'live' | 'lines' | 'quiet';

/** A redrawn picture on a terminal, change lines in a pipe or log, nothing when the caller prints JSON. */
export function progressMode(json: boolean, stream: NodeJS.WriteStream): ProgressMode {
  if (json) return 'quiet';
  return stream.isTTY ? 'live' : 'lines';
}

/** Follows a submission until it finishes, showing its progress on stdout; returns the last reading. */
export async function showProgress(api: Config['cli'], id: string, mode: ProgressMode): Promise<SubmissionView> {
  const out = process.stdout;
  let last: SubmissionView | null = null;
  let drawn = 0;
  const draw = () => {
    if (!last) return;
    const lines = renderProgress(last, { now: new Date(), color: api.color, width: out.columns });
    out.write(redraw(drawn, lines));
    drawn = lines.length;
  };
  // Running times tick between long polls.
  const ticker = mode === 'live' ? setInterval(draw, 1000) : undefined;
  try {
    for await (const view of followSubmission(api, id)) {
      if (mode === 'lines') for (const line of describeChanges(last, view)) out.write(`${line}\n`);
      last = view;
      if (mode === 'live') draw();
    }
  } finally {
    clearInterval(ticker);
  }
  if (mode !== 'quiet' && last) out.write(`${finalLine(last)}\n`);
  return last!;
}
