import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Browser } from 'playwright-core';
import { storeFile } from '../../src/files/file-store.ts';
import { PROJECT_ROOT } from '../../src/project-paths.ts';
import { bearer, createTestKey } from '../helpers/api-keys.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { postMultipart } from '../helpers/submission-client.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { uniqueName } from '../helpers/test-stack.ts';
import {
  launchChromium,
  offlineContext,
  screenshotColours,
  seriousAxeViolations,
  startWebServer,
  type WebServer,
} from '../helpers/web-browser.ts';

const SCREENS = path.join(PROJECT_ROOT, 'results', 'screens');
const HOSTILE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">';
// A 1×1 red PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

let t: TestApp;
let server: WebServer;
let browser: Browser;
const backend = uniqueName('pages');
const job = uniqueName('hostile');
const ids: Record<'complete' | 'error' | 'expired', string> = { complete: '', error: '', expired: '' };

/** A stored, planned submission (no worker runs it), then put in the state a test needs. */
async function submission(state: 'complete' | 'error' | 'expired'): Promise<string> {
  const res = await postMultipart(t.app, job, { submission_name: `${state} ${HOSTILE}`, [`${job}-step_level`]: '3' });
  const { id } = await readJson(res);
  await t.db
    .insertInto('step_runs')
    .values({
      submission_id: id,
      step_index: 0,
      stage: 1,
      task_name: `${job}-step`,
      backend,
      status: state === 'error' ? 'error' : 'complete',
      attempt: 1,
      exit_code: state === 'error' ? 2 : 0,
      message: state === 'error' ? `failed: ${HOSTILE}` : 'Completed',
    })
    .execute();
  await t.db
    .updateTable('submissions')
    .set({
      status: state,
      last_message: state === 'error' ? `Step 1 failed ${HOSTILE}` : 'Completed',
      finished_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
  return id;
}

async function storeResult(id: string, name: string, bytes: Buffer) {
  await storeFile(
    t.db,
    { submissionId: id, kind: 'result', name, taskName: `${job}-step`, stepIndex: 0, stage: 1 },
    Readable.from([bytes]),
  );
}

beforeAll(async () => {
  t = await createTestApp();
  await seedBackend(t.db, backend, `backend.${backend}`);
  await seedTask(t.db, {
    name: `${job}-step`,
    backend,
    executable: 'true $P1',
    parameters: [{ alias: 'level', flag: '-l', type: 'integer', default: '3', help: `How deep ${HOSTILE}` }],
  });
  await seedJob(t.db, job, [{ task: `${job}-step`, ordering: 0 }]);
  await t.db
    .updateTable('jobs')
    .set({ description: `Counts things ${HOSTILE}` })
    .where('name', '=', job)
    .execute();
  for (const state of ['complete', 'error', 'expired'] as const) ids[state] = await submission(state);
  await storeResult(ids.complete, 'notes.txt', Buffer.from(`first line ${HOSTILE}\nsecond line\n`));
  await storeResult(ids.complete, 'table.csv', Buffer.from('name,count\nalpha,1\n<b>beta</b>,2\n'));
  await storeResult(ids.complete, 'picture.png', PNG);
  server = await startWebServer(t);
  browser = await launchChromium();
  await mkdir(SCREENS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.close();
});

interface PageCase {
  name: string;
  path: () => string;
  status: number;
  /** A selector that must be visible once the page has rendered. */
  visible: string;
}

const PAGES: PageCase[] = [
  { name: 'catalogue', path: () => '/', status: 200, visible: '#catalogue .card' },
  { name: 'job form', path: () => `/jobs/${job}`, status: 200, visible: '#submit-form button[type="submit"]' },
  { name: 'complete submission', path: () => `/submissions/${ids.complete}`, status: 200, visible: '.preview-table' },
  { name: 'failed submission', path: () => `/submissions/${ids.error}`, status: 200, visible: '#live svg .step' },
  { name: 'expired submission', path: () => `/submissions/${ids.expired}`, status: 410, visible: 'h1' },
  { name: 'unknown submission', path: () => `/submissions/${randomUUID()}`, status: 404, visible: 'h1' },
  { name: 'unknown job', path: () => `/jobs/${uniqueName('none')}`, status: 404, visible: 'h1' },
  { name: 'unknown page', path: () => '/no/such/page', status: 404, visible: 'h1' },
  { name: 'my submissions', path: () => '/submissions', status: 200, visible: '#my-submissions' },
  { name: 'API key', path: () => '/key', status: 200, visible: '#key-form' },
  { name: 'API reference', path: () => '/docs', status: 200, visible: '#swagger-ui .info .title' },
];

describe('every page, offline, in a real browser', () => {
  it.each(PAGES)(
    '$name renders with only the server reachable, at 1200 and 375 px, with no serious axe finding',
    async ({ name, path: pagePath, status, visible }) => {
      for (const width of [1200, 375]) {
        const { context, blocked, problems } = await offlineContext(browser, server.url, { width });
        const page = await context.newPage();
        const response = await page.goto(`${server.url}${pagePath()}`);
        expect([name, response?.status()]).toEqual([name, status]);
        await page.locator(visible).first().waitFor({ state: 'visible', timeout: 15_000 });
        await page.waitForLoadState('networkidle');
        const file = `${name.replaceAll(' ', '-')}-${width}.png`;
        expect(await screenshotColours(page, path.join(SCREENS, file))).toBeGreaterThan(3);
        // Usable on a phone: nothing wider than the screen but what scrolls inside its own region.
        expect([name, width, await page.evaluate('document.documentElement.scrollWidth')]).toEqual([
          name,
          width,
          width,
        ]);
        expect([name, await seriousAxeViolations(page)]).toEqual([name, []]);
        expect(blocked).toEqual([]);
        const csp = response?.headers()['content-security-policy'] ?? '';
        expect(csp).toContain("script-src 'self'");
        expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
        // The page's own 404/410 answer is the only console error allowed.
        expect(problems.filter((p) => !/status of (404|410)/.test(p))).toEqual([]);
        expect(await page.evaluate('window.pwned')).toBeUndefined();
        await context.close();
      }
    },
    60_000,
  );

  it('shows descriptions, names, step messages and file contents with markup as text', async () => {
    const { context } = await offlineContext(browser, server.url);
    const page = await context.newPage();
    await page.goto(server.url);
    expect(await page.locator('.card', { hasText: job }).locator('p').first().textContent()).toBe(
      `Counts things ${HOSTILE}`,
    );
    await page.goto(`${server.url}/jobs/${job}`);
    expect(await page.locator('.field[data-field$="_level"] .help').textContent()).toBe(`How deep ${HOSTILE}`);
    expect(await page.getByLabel('level').inputValue()).toBe('3');
    await page.goto(`${server.url}/submissions/${ids.error}`);
    expect(await page.locator('h1').textContent()).toBe(`error ${HOSTILE}`);
    expect(await page.locator('.steps .message').first().textContent()).toContain(`failed: ${HOSTILE}`);
    expect(await page.locator('#live .last-message').textContent()).toBe(`Step 1 failed ${HOSTILE}`);
    await page.goto(`${server.url}/submissions/${ids.complete}`);
    expect(await page.locator('.preview-text').textContent()).toContain(`first line ${HOSTILE}`);
    expect(await page.locator('.preview-table tbody tr').nth(1).locator('td').first().textContent()).toBe(
      '<b>beta</b>',
    );
    expect(
      await page
        .locator('img.preview-image')
        .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBe(1);
    expect(await page.evaluate('window.pwned')).toBeUndefined();
    await context.close();
  }, 60_000);

  it('lists the submissions this browser made, from the ids it keeps', async () => {
    const { context } = await offlineContext(browser, server.url);
    const page = await context.newPage();
    await page.goto(`${server.url}/key`);
    await page.evaluate(
      `localStorage.setItem('aa.submissions', JSON.stringify([{ id: '${ids.complete}', job: 'x', name: 'x', at: '' }]))`,
    );
    await page.goto(`${server.url}/submissions`);
    const row = page.locator('#my-submissions tbody tr');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.locator('td').nth(2).textContent()).toBe('complete');
    expect(await row.locator('a').getAttribute('href')).toBe(`/submissions/${ids.complete}`);
    await context.close();
  }, 60_000);

  it("with an API key saved on the key page, lists the account's submissions and opens one the anonymous page cannot show", async () => {
    const key = await createTestKey(t.db, 'submitter');
    const res = await postMultipart(t.app, job, { submission_name: 'mine with a key' }, 'x', 'in.txt', bearer(key));
    const { id } = await readJson(res);
    const { context, problems } = await offlineContext(browser, server.url);
    const page = await context.newPage();
    await page.goto(`${server.url}/key`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Save in this browser' }).click();
    expect(await page.locator('#key-state').textContent()).toBe('Saved in this browser.');
    await page.goto(`${server.url}/submissions`);
    const link = page.getByRole('link', { name: 'mine with a key' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`/submissions/${id}`);
    const response = await page.goto(`${server.url}/submissions/${id}`);
    expect(response?.status()).toBe(404);
    await page.locator('#live .status-line').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Submission');
    expect(await page.locator('#live .status-line').getAttribute('data-status')).toBe('submitted');
    expect(problems.filter((p) => !/status of 404/.test(p))).toEqual([]);
    await context.close();
  }, 60_000);
});
