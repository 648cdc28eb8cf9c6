import { goalsTable } from '../../bench/bench-goals.ts';
import { cpuPerJob } from '../../bench/bench-processes.ts';
import type { Figure } from '../../bench/bench-stats.ts';

const figure = (name: string, value: number, unit: string, data?: Record<string, unknown>): [string, Figure] => [
  name,
  { name, value, unit, detail: '', data },
];

const rowOf = (table: string, start: string) => table.split('\n').find((line) => line.startsWith(`| ${start} |`));

describe('the goals table of a bench run', () => {
  it('puts ours over the bare figure and judges the ratio against the goal', () => {
    const table = goalsTable(
      new Map([
        figure('latency', 150, 'ms'),
        figure('bare-latency', 100, 'ms'),
        figure('throughput-1-step', 24, 'jobs/s'),
        figure('bare-throughput', 27, 'jobs/s'),
      ]),
    );
    expect(rowOf(table, '1-step latency p50')).toBe(
      '| 1-step latency p50 | 150 ms | 100 ms | 1.5× | ≤ 1.2× | NOT MET |',
    );
    expect(rowOf(table, '1-step throughput, 32 in flight')).toContain('| 0.89× | ≥ 0.8× | met |');
  });

  it('says a row is not measured when a side is missing or nothing completed in the window', () => {
    const table = goalsTable(
      new Map([figure('throughput-3-step', 0, 'jobs/s'), figure('bare-throughput-3-step', 0, 'jobs/s')]),
    );
    expect(rowOf(table, '3-step throughput, 32 in flight')).toContain('| — | ≥ 0.8× | not measured |');
    expect(rowOf(table, 'POST submissions at 50 connections')).toContain('not measured');
  });

  it('judges a row without a floor on its own value', () => {
    const table = goalsTable(
      new Map([figure('rss-idle-orchestrator', 240, 'MB'), figure('api-get-c50', 1500, 'req/s')]),
    );
    expect(rowOf(table, 'idle RSS orchestrator')).toContain('| met |');
    expect(rowOf(table, 'GET submission status at 50 connections')).toContain('| NOT MET |');
  });

  it('takes the slowest file floor of the run for uploads and downloads', () => {
    const table = goalsTable(
      new Map([
        figure('memory-upload', 20, 'MB', { bytes: 1024 * 1024 * 1024, seconds: 8 }),
        figure('memory-floor-copy', 300, 'MB/s'),
        figure('memory-floor-sha256', 200, 'MB/s'),
      ]),
    );
    expect(rowOf(table, 'upload through the API (memory scenario file)')).toBe(
      '| upload through the API (memory scenario file) | 128 MB/s (1024 MiB) | 200 MB/s (memory-floor-sha256) | 0.64× | ≥ 0.6× of the floor | met |',
    );
  });

  it('judges each direction by the floor the memory scenario measured for it', () => {
    const table = goalsTable(
      new Map([
        figure('files-floor', 700, 'MB/s'),
        figure('files-upload-speed', 70, 'MB/s', { floor: 350 }),
        figure('files-download-speed', 420, 'MB/s', { floor: 700 }),
      ]),
    );
    expect(rowOf(table, 'upload through the API (memory scenario file)')).toContain(
      '| 350 MB/s (files-floor, upload) | 0.2× | ≥ 0.6× of the floor | NOT MET |',
    );
    expect(rowOf(table, 'download through the API (memory scenario file)')).toContain(
      '| 700 MB/s (files-floor, download) | 0.6× | ≥ 0.6× of the floor | met |',
    );
  });
});

describe('CPU per job', () => {
  it('divides each process by the jobs and adds a total', () => {
    expect(cpuPerJob({ api: 100, temporal: 300 }, 10)).toEqual({ api: 10, temporal: 30, total: 40 });
  });
});
