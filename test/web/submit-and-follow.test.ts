import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { BUILTIN_VALIDATORS } from '../../src/validators/builtin-validators.ts';
import { PROJECT_ROOT } from '../../src/project-paths.ts';
import { isAlive, processesInDir, waitUntil } from '../helpers/process-tree.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';
import { launchChromium, offlineContext, startWebServer, type WebServer } from '../helpers/web-browser.ts';

const PROTEIN = 'MKVLAAGIVGLLLAACSSTPEKPQEWHKDLPAGWQLTAEQHAKAEAAAR';
// Screenshots for docs/screens are written here; CI keeps them with the other results.
const SCREENS = path.join(PROJECT_ROOT, 'results', 'screens');

let t: TestApp;
let workers: RunningWorkers;
let server: WebServer;
let browser: Browser;
let dir: string;
const backend = uniqueName('web');
const job = uniqueName('trim-and-sort');
const sleeper = uniqueName('sleeper');
const [pick, order] = [`${job}-pick`, `${job}-order`];

async function countSubmissions(): Promise<number> {
  const row = await t.db
    .selectFrom('submissions')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('job_name', '=', job)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

beforeAll(async () => {
  t = await createTestApp({}, new Map(BUILTIN_VALIDATORS));
  await seedBackend(t.db, backend, `backend.${backend}`);
  // Step 1 keeps the first N lines; step 2 sorts them, in the chosen mode, reversed when the switch is on.
  await seedTask(t.db, {
    name: pick,
    backend,
    executable: 'head $P1 $I1',
    inputs: ['.fasta'],
    outputs: ['.head'],
    stdoutEnding: '.head',
    parameters: [{ alias: 'lines', flag: '-n', type: 'integer', required: true, help: 'How many lines to keep' }],
  });
  await seedTask(t.db, {
    name: order,
    backend,
    executable: 'sort $P1 $P2 $I1',
    inputs: ['.head'],
    outputs: ['.sorted'],
    stdoutEnding: '.sorted',
    parameters: [
      { alias: 'reverse', flag: '-r', type: 'switch', default: 'false' },
      { alias: 'mode', flag: '--sort=', spacing: false, type: 'choice', choices: ['version', 'general-numeric'] },
    ],
  });
  await seedJob(
    t.db,
    job,
    [
      { task: pick, ordering: 0 },
      { task: order, ordering: 1 },
    ],
    { validators: ['seq'] },
  );
  await seedTask(t.db, { name: sleeper, backend, executable: 'sleep 60' });
  await seedJob(t.db, sleeper, [{ task: sleeper, ordering: 0 }]);
  for (const [name, description] of [
    [job, 'Keeps the first lines of a FASTA file, then sorts them.'],
    [sleeper, 'Sleeps for a minute: a run to cancel.'],
  ] as const) {
    await t.db.updateTable('jobs').set({ description }).where('name', '=', name).execute();
  }
  workers = await startTestWorkers(t.config, t.db, [`backend.${backend}`]);
  server = await startWebServer(t);
  browser = await launchChromium();
  dir = await mkdtemp(path.join(tmpdir(), 'aa-web-'));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await workers?.stop();
  await t?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the job pages in a real browser', () => {
  it('runs a 2-step job from the generated form, follows the graph to complete without reloading, and downloads the result', async () => {
    const input = path.join(dir, 'query.fasta');
    await mkdir(SCREENS, { recursive: true });
    await writeFile(input, `>query\n${PROTEIN.match(/.{1,10}/g)!.join('\n')}\n`);
    const expected = execFileSync('sort', ['-r', '--sort=version'], {
      input: execFileSync('head', ['-n', '4', input]),
    });

    const { context, blocked, problems } = await offlineContext(browser, server.url, { acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.screenshot({ path: path.join(SCREENS, 'catalogue.png'), fullPage: true });
    await page.getByRole('link', { name: job }).click();
    await page.waitForURL(`${server.url}/jobs/${job}`);

    const form = page.locator('#submit-form');
    expect(await form.getByLabel('lines').getAttribute('required')).toBe('');
    expect(await form.locator('.field[data-field$="_lines"] .required').textContent()).toBe('(required)');
    await form.getByLabel('lines').fill('4');
    await form.getByLabel('reverse').check();
    await form.getByLabel('mode').selectOption('version');
    await form.getByLabel('Input file').setInputFiles(input);
    await page.screenshot({ path: path.join(SCREENS, 'form.png'), fullPage: true });
    await form.getByRole('button', { name: 'Submit' }).click();

    await page.waitForURL(/\/submissions\/[0-9a-f-]{36}$/, { timeout: 15_000 }).catch(async (err: Error) => {
      throw new Error(
        `${err.message}\nform says: ${await page.locator('#submit-form').innerText()}\n${problems.join('\n')}`,
      );
    });
    const id = page.url().split('/').pop()!;
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations += 1;
    });
    await page.locator('#live .status-line[data-status="complete"]').waitFor({ timeout: 60_000 });
    expect(navigations).toBe(0);
    expect(await page.locator('#live svg .step[data-status="complete"]').count()).toBe(2);
    expect(await page.locator('#live svg text.status').getAttribute('data-status')).toBe('complete');
    await page.screenshot({ path: path.join(SCREENS, 'results.png'), fullPage: true });

    const link = page.getByRole('link', { name: `${id}.sorted` });
    const row = page.locator('tr', { has: link });
    expect(await row.locator('td').nth(2).getAttribute('title')).toBe(`${expected.length} bytes`);
    expect(await row.locator('.checksum').textContent()).toBe(createHash('sha256').update(expected).digest('hex'));
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const saved = path.join(dir, 'downloaded.sorted');
    await download.saveAs(saved);
    expect(Buffer.compare(await readFile(saved), expected)).toBe(0);
    expect(await page.locator('.preview-text').first().textContent()).toContain(expected.toString().split('\n')[0]!);
    expect(blocked).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it("shows the API's message next to a field with a wrong value or a missing required file, and stores nothing", async () => {
    const before = await countSubmissions();
    const { context } = await offlineContext(browser, server.url);
    const page = await context.newPage();
    await page.goto(`${server.url}/jobs/${job}`);
    const form = page.locator('#submit-form');
    const lines = form.locator(`.field[data-field="${pick}_lines"]`);
    await form.getByLabel('lines').fill('four');
    await form.getByLabel('mode').selectOption('version');
    // The hint while typing is the page's; the message after submitting is the API's.
    expect(await lines.locator('.field-error').textContent()).toBe('should be a whole number');
    await form.getByRole('button', { name: 'Submit' }).click();
    await lines.locator('.field-error', { hasText: 'must be an integer' }).waitFor();
    expect(await lines.locator('.field-error').textContent()).toBe('must be an integer, got "four"');
    expect(await form.locator('#form-error').textContent()).toBe(
      `Parameter ${pick}_lines must be an integer, got "four"`,
    );

    await form.getByLabel('lines').fill('4');
    await form.getByRole('button', { name: 'Submit' }).click();
    const file = form.locator('.field[data-field="input_data"] .field-error');
    await file.filter({ hasText: 'seq' }).waitFor();
    expect(await file.textContent()).toBe('Input data was rejected by validator "seq"');
    expect(await lines.locator('.field-error').textContent()).toBe('');
    expect(page.url()).toBe(`${server.url}/jobs/${job}`);
    expect(await countSubmissions()).toBe(before);
    await context.close();
  }, 60_000);

  it('cancels a running sleep 60 from its status page: the process is dead and the page says cancelled', async () => {
    const { context, problems } = await offlineContext(browser, server.url);
    const page = await context.newPage();
    await page.goto(`${server.url}/jobs/${sleeper}`);
    await page.locator('#submit-form').getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(/\/submissions\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    expect(await waitUntil(() => processesInDir(id).length === 1, 30_000)).toBe(true);
    const [pid] = processesInDir(id) as [number];
    await page.locator('#live svg .step[data-status="running"]').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(SCREENS, 'running.png'), fullPage: true });
    await page.getByRole('button', { name: 'Cancel this run' }).click();
    await page.locator('#live .status-line[data-status="cancelled"]').waitFor({ timeout: 30_000 });
    expect(isAlive(pid)).toBe(false);
    expect(await page.locator('#live .headline').textContent()).toBe('Cancelled');
    expect(await page.locator('#live svg .step[data-status="cancelled"]').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Cancel this run' }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);
});
