// OGC API - Processes - Part 1: Core under /ogcapi/ (docs/ogcapi-processes.md): every runnable job
// as a process, its submissions as jobs. The contract is the standard's, so these routes are not in
// our OpenAPI document; they translate onto the same submit, view and cancel services as the native API.
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../api/app-env.ts';
import { anonymousRefused } from '../api/auth-middleware.ts';
import { checkDeclaredSize, maxBodyBytes } from '../api/body-limits.ts';
import { inlineUpload } from '../api/read-submission-body.ts';
import { readTextBody } from '../api/read-text-body.ts';
import { clientIp } from '../api/submit-routes.ts';
import { DomainError } from '../domain/domain-error.ts';
import { cancelSubmission } from '../submissions/cancel-submission.ts';
import { checkMayControl, SUBMISSION_TOKEN_HEADER } from '../submissions/check-may-control.ts';
import { findVisibleSubmission } from '../submissions/find-visible-submission.ts';
import { findVisibleOr } from '../submissions/find-visible-or.ts';
import { getPublicJob, listPublicJobs } from '../submissions/public-job-catalogue.ts';
import { resolveInputRef } from '../submissions/resolve-input-ref.ts';
import { listSubmissionFiles } from '../submissions/submission-file-repository.ts';
import { listSubmissionsPage } from '../submissions/submission-repository.ts';
import { clientIdentityOf } from '../submissions/start-submission.ts';
import { submitJobs } from '../submissions/submit-jobs.ts';
import { parseExecuteRequest } from './execute-request.ts';
import { jobStatusInfo } from './job-status.ts';
import {
  answerOgc,
  invalidInput,
  noSuchJob,
  noSuchProcess,
  notFoundPath,
  OgcException,
  resultNotReady,
} from './ogc-errors.ts';
import { OGC_PREFIX, processDescription, processSummary } from './process-description.ts';

type Ctx = Context<AppEnv>;

const CONF = 'http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf';
const REL = 'http://www.opengis.net/def/rel/ogc/1.0';
const MAX_JOBS = 1000;

const json = (href: string, rel: string, title: string) => ({ href, rel, type: 'application/json', title });

export function createOgcRoutes(deps: AppDeps) {
  const { db, config } = deps;
  const app = new Hono<AppEnv>();
  const route = (handler: (c: Ctx) => Promise<Response>) => (c: Ctx) => answerOgc(c, () => handler(c));

  const landing = route(async (c) =>
    c.json({
      title: 'analytics-automated',
      description: 'Every runnable job as an OGC API - Processes process',
      links: [
        json(`${OGC_PREFIX}/`, 'self', 'This document'),
        { href: '/docs', rel: 'service-doc', type: 'text/html', title: 'API reference' },
        json(`${OGC_PREFIX}/conformance`, `${REL}/conformance`, 'Conformance classes'),
        json(`${OGC_PREFIX}/processes`, `${REL}/processes`, 'Processes'),
        json(`${OGC_PREFIX}/jobs`, `${REL}/job-list`, 'Jobs'),
      ],
    }),
  );
  app.get('/', landing);

  app.get(
    '/conformance',
    route(async (c) =>
      c.json({ conformsTo: ['core', 'json', 'job-list', 'dismiss'].map((name) => `${CONF}/${name}`) }),
    ),
  );

  app.get(
    '/processes',
    route(async (c) => {
      const jobs = await listPublicJobs(db, config.limits.maxUploadBytes);
      return c.json({
        processes: jobs.map(processSummary),
        links: [json(`${OGC_PREFIX}/processes`, 'self', 'Processes')],
      });
    }),
  );

  app.get(
    '/processes/:id',
    route(async (c) => {
      const id = c.req.param('id') ?? '';
      const job = await getPublicJob(db, id, config.limits.maxUploadBytes);
      if (!job) throw noSuchProcess(id);
      return c.json(processDescription(job));
    }),
  );

  app.post(
    '/processes/:id/execution',
    route(async (c) => {
      const id = c.req.param('id') ?? '';
      if (anonymousRefused(c, config)) {
        c.header('WWW-Authenticate', 'Bearer');
        throw new OgcException(401, `${CONF}/core`, 'Unauthorized', 'An API key is required');
      }
      const job = await getPublicJob(db, id, config.limits.maxUploadBytes);
      if (!job) throw noSuchProcess(id);
      const request = parseExecuteRequest(await readJsonBody(c, config.limits.maxUploadBytes));
      if (request.data && request.data.length > config.limits.maxUploadBytes) {
        throw new DomainError('payload_too_large', `The input is larger than ${config.limits.maxUploadBytes} bytes`);
      }
      const principal = c.get('principal') ?? null;
      const referencedInput = request.href ? await resolveInputRef(deps, { url: request.href }, principal) : null;
      const body = request.data ? await inlineUpload(request.data, `input${job.input.endings[0] ?? ''}`) : null;
      try {
        const { submissions, controlToken } = await submitJobs(
          deps,
          [
            {
              jobName: job.name,
              submissionName: `ogcapi ${job.name}`,
              email: null,
              parameters: request.parameters,
              upload: body?.upload ?? null,
              referencedInput,
              rejectUnknownParameters: true,
            },
          ],
          { principal, ip: clientIp(c) },
        );
        const submission = await findVisibleSubmission(db, submissions[0]!.id, principal);
        c.header('Location', new URL(`${OGC_PREFIX}/jobs/${submission.id}`, c.req.url).href);
        if (/respond-async/.test(c.req.header('prefer') ?? '')) c.header('Preference-Applied', 'respond-async');
        // An anonymous client dismisses with this token, as with the native API's cancel.
        if (controlToken) c.header(SUBMISSION_TOKEN_HEADER, controlToken);
        return c.json(jobStatusInfo(submission), 201);
      } finally {
        await body?.cleanup();
      }
    }),
  );

  app.get(
    '/jobs',
    route(async (c) => {
      const principal = c.get('principal') ?? null;
      // Anonymous jobs belong to no one the server can tell apart: they are read by id only.
      const { items } = principal
        ? await listSubmissionsPage(
            db,
            { userId: principal.role === 'admin' ? undefined : (principal.userId ?? -1) },
            MAX_JOBS,
          )
        : { items: [] };
      return c.json({
        jobs: items.map(jobStatusInfo),
        links: [json(`${OGC_PREFIX}/jobs`, 'self', 'Jobs')],
      });
    }),
  );

  app.get(
    '/jobs/:id',
    route(async (c) => c.json(jobStatusInfo(await visibleJob(deps, c)))),
  );

  app.get(
    '/jobs/:id/results',
    route(async (c) => {
      const submission = await visibleJob(deps, c);
      const info = jobStatusInfo(submission);
      if (info.status !== 'successful' || submission.status === 'expired') {
        throw resultNotReady(submission.id, submission.status);
      }
      const files = (await listSubmissionFiles(db, submission.id)).filter((f) => f.kind === 'result');
      return c.json(
        Object.fromEntries(
          files.map((f) => [
            f.name,
            {
              href: `/api/v1/submissions/${submission.id}/files/${f.id}`,
              type: 'application/octet-stream',
              title: `${f.name} of ${f.task_name ?? 'the job'}`,
            },
          ]),
        ),
      );
    }),
  );

  app.delete(
    '/jobs/:id',
    route(async (c) => {
      const submission = await visibleJob(deps, c);
      const principal = c.get('principal') ?? null;
      checkMayControl(submission, principal, c.req.header(SUBMISSION_TOKEN_HEADER));
      await cancelSubmission(deps, submission.id, clientIdentityOf(principal, clientIp(c)));
      // The status is dismissed once the workers have stopped the step; the answer says what is known now.
      const fresh = await findVisibleSubmission(db, submission.id, principal);
      return c.json({ ...jobStatusInfo(fresh), status: 'dismissed' });
    }),
  );

  // Mounted under a prefix, '/' matches only the bare prefix: the landing page with its slash (the form
  // clients such as OWSLib take as their base URL) is answered here.
  app.all('*', (c) =>
    c.req.method === 'GET' && c.req.path === `${OGC_PREFIX}/`
      ? landing(c)
      : answerOgc(c, () => Promise.reject(notFoundPath(c.req.path))),
  );
  return app;
}

/** The job the path names if the caller may see it; the standard's no-such-job otherwise. */
function visibleJob(deps: AppDeps, c: Ctx) {
  return findVisibleOr(deps.db, c.req.param('id') ?? '', c.get('principal') ?? null, noSuchJob);
}

async function readJsonBody(c: Ctx, maxUploadBytes: number): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('application/json')) throw invalidInput('Send the execute request as application/json');
  const limit = maxBodyBytes(type, maxUploadBytes);
  await checkDeclaredSize(c, limit);
  await readTextBody(c, limit);
  return c.req.json().catch(() => {
    throw invalidInput('The body is not valid JSON');
  });
}
