import { spawn } from 'node:child_process';
import { freePort } from '../../src/dev/free-port.ts';
import { CLI_ENTRY } from '../../src/project-paths.ts';
import { waitUntil } from '../helpers/process-tree.ts';
import { uniqueName } from '../helpers/test-stack.ts';

async function scrape(url: string): Promise<string> {
  try {
    const res = await fetch(url);
    return res.ok ? await res.text() : '';
  } catch {
    return '';
  }
}

describe('worker metrics', () => {
  it("serves the Temporal SDK's Prometheus metrics on WORKER_METRICS_PORT while a worker polls", async () => {
    const port = await freePort();
    const backend = uniqueName('metrics');
    const env = { ...process.env, WORKER_METRICS_PORT: String(port), LOG_LEVEL: 'warn' };
    const worker = spawn(process.execPath, [CLI_ENTRY, 'worker', '--backend', backend], { env, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    try {
      const queue = `task_queue="backend.${backend}"`;
      let text = '';
      const polling = await waitUntil(
        async () => {
          text = await scrape(`http://127.0.0.1:${port}/metrics`);
          return text.split('\n').some((line) => line.startsWith('temporal_num_pollers{') && line.includes(queue));
        },
        30_000,
        250,
      );

      expect(polling).toBe(true);
      expect(text).toMatch(
        new RegExp(`^temporal_worker_task_slots_available\\{.*${queue}.*worker_type="ActivityWorker"\\} 8$`, 'm'),
      );
    } finally {
      worker.kill('SIGTERM');
      await exited;
    }
  });

  it('refuses to start, naming the variable, when WORKER_METRICS_PORT is not a port', async () => {
    const env = { ...process.env, WORKER_METRICS_PORT: '70000', LOG_LEVEL: 'warn' };
    const worker = spawn(process.execPath, [CLI_ENTRY, 'worker', '--backend', uniqueName('bad')], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    worker.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => worker.once('exit', resolve));

    expect(code).toBe(1);
    expect(stderr).toContain('WORKER_METRICS_PORT');
  });
});
