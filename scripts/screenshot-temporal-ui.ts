// Screenshot of the Temporal UI's workflow list filtered by job (the AaJobName search attribute),
// taken with the machine's Debian chromium through playwright-core. Writes
// results/temporal-ui-<job>.png and the page's text beside it (temporal-ui-<job>.txt).
//
//   node scripts/screenshot-temporal-ui.ts --ui http://localhost:8233 --job psipred [--out results]
//        [--namespace default] [--timeout 60] [--chromium /usr/bin/chromium]
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../src/project-paths.ts';

// Quiet, offline and sandbox-free: it runs as root in CI containers without a GPU.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// Each row links to its workflow's page; ours are all named submission-<uuid>.
const ROW_LINK = 'a[href*="/workflows/submission-"]';

function workflowListUrl(ui: string, namespace: string, job: string): string {
  const query = `AaJobName="${job.replace(/["\\]/g, '\\$&')}"`;
  return `${ui.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`;
}

/** Loads the list until rows show: visibility and the UI's own start both lag a little behind. */
async function openListWithRows(page: Page, url: string, deadline: number): Promise<void> {
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await page.goto(url, { waitUntil: 'domcontentloaded', timeout: Math.max(1000, deadline - Date.now()) });
      await page
        .locator(ROW_LINK)
        .first()
        .waitFor({ timeout: Math.min(10_000, Math.max(1000, deadline - Date.now())) });
      return;
    } catch (err) {
      lastError = err;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  throw new Error(
    `no workflow rows at ${url}: ${lastError instanceof Error ? lastError.message.split('\n')[0] : String(lastError)}`,
  );
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ui: { type: 'string' },
      job: { type: 'string' },
      out: { type: 'string', default: path.join(PROJECT_ROOT, 'results') },
      namespace: { type: 'string', default: 'default' },
      timeout: { type: 'string', default: '60' },
      chromium: { type: 'string', default: '/usr/bin/chromium' },
    },
  });
  const timeoutSeconds = Number(values.timeout);
  if (!values.ui || !values.job || !(timeoutSeconds > 0)) {
    console.error(
      'Usage: node scripts/screenshot-temporal-ui.ts --ui URL --job NAME [--out DIR] [--namespace NS] [--timeout SECONDS]',
    );
    return 2;
  }
  const url = workflowListUrl(values.ui, values.namespace, values.job);
  const base = path.join(values.out, `temporal-ui-${values.job.replace(/[^\w.-]/g, '_')}`);
  const browser = await chromium.launch({ executablePath: values.chromium, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await openListWithRows(page, url, Date.now() + timeoutSeconds * 1000);
    // Let the table finish its first render (counts, badges) before the picture.
    await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => undefined);
    await mkdir(values.out, { recursive: true });
    await page.screenshot({ path: `${base}.png` });
    await writeFile(`${base}.txt`, await page.locator('body').innerText());
    console.log(`${base}.png`);
    return 0;
  } finally {
    await browser.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`screenshot-temporal-ui: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
