import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { serveApi } from '../../src/api/serve-api.ts';
import { freePort } from '../../src/dev/free-port.ts';
import type { TestApp } from './test-app.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface WebServer {
  url: string;
  close: () => Promise<void>;
}

/** The test app on a real port, as `aa api` serves it, for a real browser. */
export async function startWebServer(t: TestApp): Promise<WebServer> {
  const port = await freePort();
  const server: Server = await new Promise((resolve) => {
    const s = serveApi(t.app, { port, hostname: '127.0.0.1', maxUploadBytes: t.config.limits.maxUploadBytes }, () =>
      resolve(s),
    );
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The machine's Debian Chromium (Playwright's own download is not used). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface OfflineContext {
  context: BrowserContext;
  /** Requests to anywhere but the server, which were refused. */
  blocked: string[];
  /** Console messages about refused content (CSP) and script errors. */
  problems: string[];
}

/** A browser context that can reach only `origin`: everything else is aborted, as without internet. */
export async function offlineContext(
  browser: Browser,
  origin: string,
  options: { width?: number; acceptDownloads?: boolean } = {},
): Promise<OfflineContext> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1200, height: 900 },
    acceptDownloads: options.acceptDownloads ?? false,
  });
  const blocked: string[] = [];
  const problems: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('data:')) return route.continue();
    blocked.push(url);
    return route.abort('internetdisconnected');
  });
  context.on('page', (page) => watchProblems(page, problems));
  return { context, blocked, problems };
}

function watchProblems(page: Page, problems: string[]) {
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: number;
}

/** axe-core's serious and critical findings on the page as it is now. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (no inline script) stays on.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const run = (globalThis as unknown as { axe: { run: () => Promise<{ violations: AxeRaw[] }> } }).axe.run;
    type AxeRaw = { id: string; impact: string | null; nodes: unknown[] };
    return (await run()).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** How many distinct colours a screenshot of the page has (a blank page has one), counted in a scratch page's canvas. */
export async function screenshotColours(page: Page, path?: string): Promise<number> {
  const png = await page.screenshot({ path, fullPage: false });
  const scratch = await page.context().newPage();
  try {
    // A string, because the test code is type checked without the DOM's types.
    const count = await scratch.evaluate(`(async () => {
      const image = new Image();
      image.src = 'data:image/png;base64,${png.toString('base64')}';
      await image.decode();
      const canvas = new OffscreenCanvas(image.width, image.height);
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      const data = context.getImageData(0, 0, image.width, image.height).data;
      const colours = new Set();
      for (let i = 0; i < data.length && colours.size < 1000; i += 28) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      return colours.size;
    })()`);
    return Number(count);
  } finally {
    await scratch.close();
  }
}
