import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import type { AppDeps, AppEnv } from '../api/app-env.ts';
import { buildSubmissionView } from '../api/submission-view.ts';
import { DomainError } from '../domain/domain-error.ts';
import { findVisibleSubmission } from '../submissions/find-visible-submission.ts';
import { getPublicJob, jobTypicalRunSeconds, listPublicJobs } from '../submissions/public-job-catalogue.ts';
import { cataloguePage } from './catalogue-page.ts';
import { docsPage } from './docs-page.ts';
import { jobFormPage } from './job-form-page.ts';
import { pageMarker, waitForChange } from './live-progress.ts';
import { keyPage, mySubmissionsPage } from './browser-state-pages.ts';
import { messagePage } from './page-layout.ts';
import { DOCS_CSP, PAGE_CSP, pageHeaders } from './security-headers.ts';
import { registerStaticAssets } from './static-assets.ts';
import { submissionLive, submissionPage } from './submission-page.ts';

// Below the 30 s many proxies allow an idle request; the page asks again at once.
const LIVE_WAIT_MS = 25_000;

/** The page for a submission this request cannot show: gone (410) or unknown (404). */
function submissionRefusal(c: Context<AppEnv>, err: unknown, id: string) {
  if (!(err instanceof DomainError)) throw err;
  if (err.code === 'gone') {
    return c.html(
      messagePage('Submission deleted', `Submission ${id} was deleted: its data and results are gone.`),
      410,
    );
  }
  if (err.code === 'not_found') {
    // A submission made with an API key is visible only with that key: app.js retries with the one it keeps.
    return c.html(
      messagePage(
        'Submission not found',
        `There is no submission ${id}, or it belongs to an account whose API key this browser does not have.`,
        html`<div id="live" data-id="${id}" data-marker="" data-ended="false" data-needs-key="true"></div>`,
      ),
      404,
    );
  }
  throw err;
}

const expiredPage = (id: string) =>
  messagePage('Results expired', `Submission ${id} ended long enough ago that its files and details were erased.`);

/** The pages people use in a browser, served next to the API: no CDN, no inline script. */
export function createWebRoutes(deps: AppDeps) {
  const { db, config } = deps;
  const maxBytes = config.limits.maxUploadBytes;
  const app = new Hono<AppEnv>();
  registerStaticAssets(app);
  app.get('/docs', pageHeaders(DOCS_CSP), (c) => c.html(docsPage()));
  app.use('/', pageHeaders());
  app.use('/jobs/*', pageHeaders());
  app.use('/submissions', pageHeaders());
  app.use('/submissions/*', pageHeaders());
  app.use('/key', pageHeaders());

  app.get('/', async (c) => c.html(cataloguePage(await listPublicJobs(db, maxBytes))));
  app.get('/jobs/:name', async (c) => {
    const name = c.req.param('name');
    const job = await getPublicJob(db, name, maxBytes);
    if (!job) return c.html(messagePage('Job not found', `There is no runnable job named "${name}".`), 404);
    return c.html(jobFormPage(job));
  });
  app.get('/submissions', (c) => c.html(mySubmissionsPage()));
  app.get('/key', (c) => c.html(keyPage()));

  app.get('/submissions/:id', async (c) => {
    const id = c.req.param('id');
    try {
      const submission = await findVisibleSubmission(db, id, c.get('principal') ?? null);
      if (submission.status === 'expired') return c.html(expiredPage(id), 410);
      const view = await buildSubmissionView(db, config, submission);
      const live = await submissionLive(db, view, await jobTypicalRunSeconds(db, view.job));
      return c.html(submissionPage(view, live, await pageMarker(deps, submission)));
    } catch (err) {
      return submissionRefusal(c, err, id);
    }
  });

  // What app.js fetches (with the browser's API key, if any) to refresh the status page.
  app.get('/submissions/:id/live', async (c) => {
    const id = c.req.param('id');
    try {
      const since = c.req.query('since') || undefined;
      const { submission, marker } = await waitForChange(deps, id, c.get('principal') ?? null, since, LIVE_WAIT_MS);
      if (submission.status === 'expired') return c.html(expiredPage(id), 410);
      const view = await buildSubmissionView(db, config, submission);
      const live = await submissionLive(db, view, await jobTypicalRunSeconds(db, view.job));
      return c.html(live, 200, {
        'cache-control': 'no-store',
        'x-progress-marker': marker,
        'x-submission-status': view.status,
      });
    } catch (err) {
      return submissionRefusal(c, err, id);
    }
  });
  return app;
}

/** Whether a request that matched no route came from a browser navigation, which gets a page rather than JSON. */
export function wantsPage(c: Context<AppEnv>): boolean {
  const path = c.req.path;
  if (path.startsWith('/api/') || path.startsWith('/analytics_automated')) return false;
  return (c.req.header('accept') ?? '').includes('text/html');
}

/** The 404 page for a browser that asked for a path nothing serves. */
export function notFoundPage(c: Context<AppEnv>) {
  c.header('Content-Security-Policy', PAGE_CSP);
  c.header('X-Content-Type-Options', 'nosniff');
  return c.html(messagePage('Page not found', `There is no page at ${c.req.path}.`), 404);
}
