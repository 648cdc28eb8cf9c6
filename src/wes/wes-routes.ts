// GA4GH WES 1.1 under /ga4gh/wes/v1 (docs/ga4gh-wes.md): a run is a submission of the job its
// workflow_url names, with workflow_params as its parameters and its attachment as the input. The
// contract is GA4GH's, so these routes are not in our OpenAPI document; they translate onto the same
// submit, view and cancel services as the native API.
import path from 'node:path';
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../api/app-env.ts';
import { anonymousRefused } from '../api/auth-middleware.ts';
import { checkDeclaredSize, maxBodyBytes, nodeRequest } from '../api/body-limits.ts';
import { clientIp } from '../api/submit-routes.ts';
import { cancelSubmission } from '../submissions/cancel-submission.ts';
import { checkMayControl, SUBMISSION_TOKEN_HEADER } from '../submissions/check-may-control.ts';
import { findVisibleOr } from '../submissions/find-visible-or.ts';
import { getPublicJob } from '../submissions/public-job-catalogue.ts';
import { listSubmissionsPage } from '../submissions/submission-repository.ts';
import { clientIdentityOf } from '../submissions/start-submission.ts';
import { submitJobs } from '../submissions/submit-jobs.ts';
import { readRunRequest, type RunRequestBody } from './read-run-request.ts';
import { buildRunLog } from './run-log.ts';
import { answerWes, runNotFound, WesError } from './wes-errors.ts';
import { wesState } from './wes-state.ts';

export const WES_PREFIX = '/ga4gh/wes/v1';
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;
// A workflow descriptor's ending on workflow_url is not part of the job's name.
const DESCRIPTOR_ENDING = /\.(cwl|wdl|py)$/i;

type Ctx = Context<AppEnv>;

/** The job a workflow_url names: its last path segment, without a descriptor's ending. */
export function jobNameOf(workflowUrl: string): string {
  const last =
    workflowUrl
      .replace(/[?#].*$/, '')
      .split('/')
      .pop() ?? '';
  let name: string;
  try {
    name = decodeURIComponent(last);
  } catch {
    name = last;
  }
  return name.replace(DESCRIPTOR_ENDING, '');
}

function workflowParams(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new WesError(400, 'workflow_params is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WesError(400, 'workflow_params must be a JSON object of the job parameters');
  }
  return value as Record<string, unknown>;
}

/** The data file among the attachments: the one that is not the workflow descriptor workflow_url names. */
function dataAttachment(body: RunRequestBody, workflowUrl: string) {
  const descriptor = path.basename(workflowUrl);
  const data = body.attachments.filter((a) => a.originalName !== descriptor);
  if (data.length > 1) throw new WesError(400, 'Attach at most one data file besides the workflow descriptor');
  return data[0] ?? null;
}

export function createWesRoutes(deps: AppDeps) {
  const { db, config } = deps;
  const app = new Hono<AppEnv>();
  const route = (handler: (c: Ctx) => Promise<Response>) => (c: Ctx) => answerWes(c, () => handler(c));

  app.get(
    '/service-info',
    route(async (c) =>
      c.json({
        workflow_type_versions: { AA: { workflow_type_version: ['1'] } },
        supported_wes_versions: ['1.1.0'],
        supported_filesystem_protocols: ['http', 'https'],
        workflow_engine_versions: { 'analytics-automated': '1' },
        default_workflow_engine_parameters: [],
        system_state_counts: {},
        auth_instructions_url: '/docs',
        tags: { workflow_url: 'the name of a job from GET /api/v1/jobs; a .cwl, .wdl or .py ending is ignored' },
      }),
    ),
  );

  app.post(
    '/runs',
    route(async (c) => {
      if (anonymousRefused(c, config)) throw new WesError(401, 'An API key is required');
      const max = config.limits.maxUploadBytes;
      await checkDeclaredSize(c, maxBodyBytes(c.req.header('content-type') ?? '', max));
      const body = await readRunRequest(c.req.raw, max, nodeRequest(c));
      try {
        const workflowUrl = body.fields.workflow_url ?? '';
        if (workflowUrl === '') throw new WesError(400, 'workflow_url is required: the name of one of our jobs');
        const job = await getPublicJob(db, jobNameOf(workflowUrl), max);
        if (!job) throw new WesError(400, `workflow_url names no runnable job "${jobNameOf(workflowUrl)}"`);
        const principal = c.get('principal') ?? null;
        const { submissions, controlToken } = await submitJobs(
          deps,
          [
            {
              jobName: job.name,
              submissionName: `wes ${job.name}`,
              email: null,
              parameters: workflowParams(body.fields.workflow_params),
              upload: dataAttachment(body, workflowUrl),
              rejectUnknownParameters: true,
            },
          ],
          { principal, ip: clientIp(c) },
        );
        // Not in WES: an anonymous run's control token, sent back in the Submission-Token header to cancel it.
        return c.json({ run_id: submissions[0]!.id, ...(controlToken ? { control_token: controlToken } : {}) });
      } finally {
        await body.cleanup();
      }
    }),
  );

  app.get(
    '/runs',
    route(async (c) => {
      const principal = c.get('principal') ?? null;
      const size = Number(c.req.query('page_size') ?? DEFAULT_PAGE);
      if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) {
        throw new WesError(400, `page_size must be an integer from 1 to ${MAX_PAGE}`);
      }
      // Anonymous runs belong to no one the server can tell apart: they are read by id only.
      if (!principal) return c.json({ runs: [], next_page_token: '' });
      const token = c.req.query('page_token');
      const { items, nextCursor } = await listSubmissionsPage(
        db,
        { userId: principal.role === 'admin' ? undefined : (principal.userId ?? -1) },
        size,
        token === '' ? undefined : token,
      );
      return c.json({
        runs: items.map((i) => ({ run_id: i.id, state: wesState(i) })),
        next_page_token: nextCursor ?? '',
      });
    }),
  );

  app.get(
    '/runs/:id',
    route(async (c) => c.json(await buildRunLog(db, await visibleRun(deps, c)))),
  );

  app.get(
    '/runs/:id/status',
    route(async (c) => {
      const run = await visibleRun(deps, c);
      return c.json({ run_id: run.id, state: wesState(run) });
    }),
  );

  app.post(
    '/runs/:id/cancel',
    route(async (c) => {
      const run = await visibleRun(deps, c);
      const principal = c.get('principal') ?? null;
      checkMayControl(run, principal, c.req.header(SUBMISSION_TOKEN_HEADER));
      await cancelSubmission(deps, run.id, clientIdentityOf(principal, clientIp(c)));
      return c.json({ run_id: run.id });
    }),
  );

  app.all(
    '*',
    route(async (c) => Promise.reject(new WesError(404, `No route for ${c.req.method} ${c.req.path}`))),
  );
  return app;
}

function visibleRun(deps: AppDeps, c: Ctx) {
  return findVisibleOr(deps.db, c.req.param('id') ?? '', c.get('principal') ?? null, runNotFound);
}
