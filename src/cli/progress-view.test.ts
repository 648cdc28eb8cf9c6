import { sampleStep, sampleView } from '../../test/helpers/sample-submission-view.ts';
import { formatDuration, redraw, renderProgress } from './progress-view.ts';

const now = new Date('2026-01-01T10:00:42.000Z');
// eslint-disable-next-line no-control-regex
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('renderProgress', () => {
  it('draws a header, one line per step grouped by stage, and the last message', () => {
    const lines = renderProgress(sampleView(), { now, color: false });
    expect(lines[0]).toBe('my run · job psipred · ▶ running · 42s');
    expect(lines[1]).toMatch(/^ {2}stage 1 {2}step 1\/3 {2}✔ complete {2}blast on cpu +12s$/);
    expect(lines[2]).toMatch(/^ {2}stage 2 {2}step 2\/3 {2}▶ running {3}psipred on gpu +30s +attempt 2$/);
    expect(lines[3]).toMatch(/^ {11}step 3\/3 {2}· pending {3}disopred on cpu$/);
    expect(lines[4]).toBe('  Running');
  });

  it('follows a graph run: names, parents, map progress and why a step was skipped', () => {
    const view = sampleView({}, [
      [
        sampleStep(0, 'cut', {
          name: 'sample',
          parents: [],
          status: 'skipped',
          condition: 'parameter cut_on is "false", not "true"',
        }),
      ],
      [sampleStep(1, 'check', { name: 'each', parents: ['sample'], status: 'running', map: { done: 37, total: 100 } })],
    ]);
    const lines = renderProgress(view, { now, color: false });
    expect(lines[1]).toMatch(/- skipped +sample: cut on cpu +parameter cut_on is "false", not "true"$/);
    expect(lines[2]).toMatch(/▶ running +each: check on cpu +37\/100 items, after sample$/);
  });

  it('names a failed step with its exit code and first message line', () => {
    const view = sampleView({ status: 'error', lastMessage: 'step 1 (blast) failed' }, [
      [sampleStep(0, 'blast', { status: 'error', attempt: 1, exitCode: 2, message: 'no such database\nmore' })],
    ]);
    const lines = renderProgress(view, { now, color: false });
    expect(lines[1]).toContain('✘ error');
    expect(lines[1]).toContain('exit 2, no such database');
    expect(lines[1]).not.toContain('more');
  });

  it('shows a step served from the step cache as cached, in green', () => {
    const view = sampleView({}, [[sampleStep(0, 'blast', { status: 'cached', attempt: 1, exitCode: 0 })]]);
    expect(renderProgress(view, { now, color: false })[1]).toContain('↺ cached');
    expect(renderProgress(view, { now, color: true })[1]).toContain('\x1b[32m↺ cached');
  });

  it('colours statuses only when asked, leaving the text the same', () => {
    const coloured = renderProgress(sampleView(), { now, color: true });
    expect(coloured[1]).toContain('\x1b[32m✔ complete');
    expect(coloured[2]).toContain('\x1b[36m▶ running');
    expect(coloured.map(plain)).toEqual(renderProgress(sampleView(), { now, color: false }));
  });

  it('cuts lines to the terminal width so a redraw never wraps', () => {
    const lines = renderProgress(sampleView({ name: 'x'.repeat(200) }), { now, color: true, width: 40 });
    for (const line of lines) expect([...plain(line)].length).toBeLessThanOrEqual(39);
    expect(plain(lines[0]!)).toMatch(/…$/);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [59_999, '59s'],
    [65_000, '1m05s'],
    [3_725_000, '1h02m'],
    [-5, '0s'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('redraw', () => {
  it('moves up over the previous drawing and clears it before drawing again', () => {
    expect(redraw(0, ['a', 'b'])).toBe('a\nb\n');
    expect(redraw(2, ['c'])).toBe('\x1b[2A\r\x1b[0Jc\n');
  });
});
