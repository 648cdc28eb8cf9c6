import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { adminClient, type AdminClient } from '../helpers/admin-client.ts';
import { createTestKey } from '../helpers/api-keys.ts';
import { fileText, submitAndWait, waitForEnd } from '../helpers/submission-client.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

const MiB = 1024 * 1024;
let t: TestApp;
let admin: AdminClient;
let workers: RunningWorkers;
const backend = uniqueName('scripts');

const PYTHON_STEP = `import json, os
params = json.load(open(os.environ["AA_PARAMS"]))
text = open(os.environ["AA_INPUT_1"]).read()
with open(os.environ["AA_OUTPUT_1"], "w") as out:
    out.write(f"{params['greeting']} x{params['times']}: {text.upper()}")
`;

const BASH_STEP = `set -eu
{ printf '%s\\n' "$AA_PARAM_suffix"; cat "$AA_PARAMS"; printf '\\n'; rev "$AA_INPUT_1"; } > "$AA_OUTPUT_1"
`;

// r-base-core has no JSON reader: the R step reads the parameters file as text, and one value by name.
const R_STEP = `params <- readLines(Sys.getenv("AA_PARAMS"), warn = FALSE)
text <- readLines(Sys.getenv("AA_INPUT_1"))
writeLines(c(params, toupper(text), Sys.getenv("AA_PARAM_greeting")), Sys.getenv("AA_OUTPUT_1"))
`;

async function putTask(name: string, body: Record<string, unknown>) {
  const res = await admin.put(`/api/v1/tasks/${name}`, { backend, ...body });
  if (res.status >= 300) throw new Error(`PUT task answered ${res.status}: ${await res.text()}`);
  return readJson(res);
}

async function putJob(name: string, tasks: string[]) {
  const steps = tasks.map((task, ordering) => ({ task, ordering }));
  const res = await admin.put(`/api/v1/jobs/${name}`, { steps });
  if (res.status >= 300) throw new Error(`PUT job answered ${res.status}: ${await res.text()}`);
}

async function submitJson(job: string, parameters: Record<string, string>, input = 'hello world\n') {
  const res = await t.app.request(`/api/v1/jobs/${job}/submissions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ submissionName: 'script', parameters, input, inputName: 'in.txt' }),
  });
  const created = await readJson(res);
  if (res.status !== 201) throw new Error(`POST answered ${res.status}: ${JSON.stringify(created)}`);
  return waitForEnd(t.app, created.id);
}

const resultText = (body: { files: { name: string; url: string }[] }, ending: string) =>
  fileText(t.app, body.files.find((f) => f.name.endsWith(ending))!.url);

beforeAll(async () => {
  t = await createTestApp();
  admin = adminClient(t, await createTestKey(t.db, 'admin'));
  await admin.put(`/api/v1/backends/${backend}`, { limits: { openFiles: 1024 } });
  workers = await startTestWorkers(t.config, t.db, [`backend.${backend}`]);
});

afterAll(async () => {
  await workers.stop();
  await t.close();
});

describe('script tasks on the real stack', () => {
  it('runs a Python step whose output a bash step consumes, each reading its parameters from AA_PARAMS', async () => {
    const job = uniqueName('py-bash');
    const py = await putTask(`${job}-py`, {
      kind: 'script',
      interpreter: 'python3',
      script: PYTHON_STEP,
      inputs: ['.txt'],
      outputs: ['.shout'],
      parameters: [{ alias: 'greeting' }, { alias: 'times', type: 'integer', default: '2' }],
    });
    expect(py.scriptSha256).toMatch(/^[0-9a-f]{64}$/);
    await putTask(`${job}-sh`, {
      kind: 'script',
      interpreter: 'bash',
      script: BASH_STEP,
      inputs: ['.shout'],
      outputs: ['.final'],
      parameters: [{ alias: 'suffix' }],
    });
    await putJob(job, [`${job}-py`, `${job}-sh`]);

    const body = await submitJson(job, { [`${job}-py_greeting`]: 'hi', [`${job}-sh_suffix`]: 'the end' });

    expect(body.status).toBe('complete');
    expect(await resultText(body, '.shout')).toBe('hi x2: HELLO WORLD\n');
    expect(await resultText(body, '.final')).toBe(`the end\n{"suffix":"the end"}\nDLROW OLLEH :2x ih\n`);
  });

  it('runs an R step (Rscript) whose output a sh step consumes', async () => {
    const job = uniqueName('r-sh');
    await putTask(`${job}-r`, {
      kind: 'script',
      interpreter: 'Rscript',
      script: R_STEP,
      inputs: ['.txt'],
      outputs: ['.r-out'],
      parameters: [{ alias: 'greeting' }],
    });
    await putTask(`${job}-sh`, {
      kind: 'script',
      interpreter: 'sh',
      script: 'wc -l < "$AA_INPUT_1" > "$AA_OUTPUT_1"\n',
      inputs: ['.r-out'],
      outputs: ['.lines'],
    });
    await putJob(job, [`${job}-r`, `${job}-sh`]);

    const body = await submitJson(job, { [`${job}-r_greeting`]: 'hej' });

    expect(body.status).toBe('complete');
    expect(await resultText(body, '.r-out')).toBe('{"greeting":"hej"}\nHELLO WORLD\nhej\n');
    expect((await resultText(body, '.lines')).trim()).toBe('3');
  });

  it('hands hostile parameter values to the script as data only, byte for byte', async () => {
    const job = uniqueName('hostile');
    const marker = `/tmp/aa-pwned-${randomUUID()}`;
    const hostile = `$(touch ${marker}) \`touch ${marker}\` "double" 'single' ; | & > < \\ \n second line $HOME %s {{x}}`;
    await putTask(`${job}-echo`, {
      kind: 'script',
      interpreter: 'python3',
      script: `import os, sys\nsys.stdout.buffer.write(open(os.environ["AA_PARAMS"], "rb").read())\n`,
      stdout: '.params',
      outputs: ['.params'],
      parameters: [{ alias: 'v' }],
    });
    await putTask(`${job}-env`, {
      kind: 'script',
      interpreter: 'sh',
      script: 'printf %s "$AA_PARAM_v"\n',
      stdout: '.env',
      outputs: ['.env'],
      parameters: [{ alias: 'v' }],
    });
    await putJob(job, [`${job}-echo`, `${job}-env`]);

    const body = await submitJson(job, { [`${job}-echo_v`]: hostile, [`${job}-env_v`]: hostile });

    expect(body.status).toBe('complete');
    expect(await resultText(body, '.params')).toBe(JSON.stringify({ v: hostile }));
    expect(await resultText(body, '.env')).toBe(hostile);
    expect(existsSync(marker)).toBe(false);
  });

  it('ends a 1 GiB allocation under a 256 MiB limit naming the limit, then runs the next submission', async () => {
    const job = uniqueName('hungry');
    await putTask(`${job}-task`, {
      kind: 'script',
      interpreter: 'python3',
      script: 'x = b"\\x01" * (1 << 30)\n',
      limits: { memoryBytes: 256 * MiB },
      retry: { maximumAttempts: 3 },
    });
    await putJob(job, [`${job}-task`]);
    const after = uniqueName('after');
    await putTask(`${after}-task`, { executable: 'echo still here', stdout: '.out', outputs: ['.out'] });
    await putJob(after, [`${after}-task`]);

    const body = await submitAndWait(t.app, job);
    expect(body.status).toBe('error');
    expect(body.lastMessage).toContain('memory limit 256 MiB exceeded');
    expect(body.stages[0].steps[0].attempt).toBe(1);

    const next = await submitAndWait(t.app, after);
    expect(next.status).toBe('complete');
    expect(await resultText(next, '.out')).toBe('still here\n');
  });

  it('contains a fork bomb under 32 processes: the step ends error and the worker runs the next one', async () => {
    const job = uniqueName('bomb');
    await putTask(`${job}-task`, {
      kind: 'script',
      interpreter: 'bash',
      script: 'b() { b | b; }; b\n',
      limits: { processes: 32 },
    });
    await putJob(job, [`${job}-task`]);
    const body = await submitAndWait(t.app, job);
    expect(body.status).toBe('error');
    expect(body.lastMessage).toContain('process limit 32 exceeded');
    const next = uniqueName('after-bomb');
    await putTask(`${next}-task`, {
      kind: 'script',
      interpreter: 'sh',
      script: 'echo ok\n',
      stdout: '.out',
      outputs: ['.out'],
    });
    await putJob(next, [`${next}-task`]);
    expect((await submitAndWait(t.app, next)).status).toBe('complete');
  });

  it('retries a limit hit only when the retry policy names that limit', async () => {
    const job = uniqueName('retry-limit');
    await putTask(`${job}-task`, {
      kind: 'script',
      interpreter: 'sh',
      script: 'yes\n',
      limits: { outputBytes: MiB },
      retry: { maximumAttempts: 2, initialIntervalSeconds: 0.1, retryableLimits: ['outputBytes'] },
    });
    await putJob(job, [`${job}-task`]);
    const body = await submitAndWait(t.app, job);
    expect(body.status).toBe('error');
    expect(body.lastMessage).toContain('output limit 1 MiB exceeded');
    expect(body.stages[0].steps[0].attempt).toBe(2);
    // What was stored is cut to the limit: the endless stdout, kept up to 1 MiB.
    const kept = body.files.filter((f: { kind: string }) => f.kind !== 'input');
    expect(kept.reduce((sum: number, f: { size: number }) => sum + f.size, 0)).toBeLessThanOrEqual(MiB);
    expect(kept.find((f: { kind: string }) => f.kind === 'stdout')?.size).toBeGreaterThan(MiB / 2);
  });

  it('applies the backend default limits to a task that sets none', async () => {
    const job = uniqueName('defaults');
    await putTask(`${job}-task`, {
      kind: 'script',
      interpreter: 'python3',
      script: 'import resource\nprint(resource.getrlimit(resource.RLIMIT_NOFILE)[0])\n',
      stdout: '.out',
      outputs: ['.out'],
    });
    await putJob(job, [`${job}-task`]);
    const body = await submitAndWait(t.app, job);
    expect(body.status).toBe('complete');
    expect(await resultText(body, '.out')).toBe('1024\n');
  });

  it('ends the step with an error naming an interpreter the worker does not have', async () => {
    const job = uniqueName('no-interpreter');
    await putTask(`${job}-task`, { kind: 'script', interpreter: 'python-does-not-exist', script: 'print(1)\n' });
    await putJob(job, [`${job}-task`]);
    const body = await submitAndWait(t.app, job);
    expect(body.lastMessage).toContain('python-does-not-exist');
    expect(body.status).toBe('error');
  });
});
