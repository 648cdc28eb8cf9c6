// A_A's submission URLs: POST a submission, GET a batch or one submission, download files.
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../api/app-env.ts';
import { readFileChunks } from '../files/file-store.ts';
import { clientIp } from '../api/submit-routes.ts';
import { cancelBatch } from '../submissions/cancel-submission.ts';
import { checkMayControl, SUBMISSION_TOKEN_HEADER } from '../submissions/check-may-control.ts';
import { isVisibleTo } from '../submissions/find-visible-submission.ts';
import { findFileWithOwner } from '../submissions/submission-file-repository.ts';
import { listBatchSubmissions } from '../submissions/submission-repository.ts';
import { clientIdentityOf } from '../submissions/start-submission.ts';
import { notFound } from './aa-errors.ts';
import { aaResource, answerErrors, withoutFormatSuffix, type AaContext } from './aa-routing.ts';
import { batchOutput } from './submission-output.ts';
import { createFacadeStatusReader } from './facade-status-reader.ts';
import { createFacadeSubmitHandler } from './submit-to-facade.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PARSES = ['multipart/form-data', 'application/x-www-form-urlencoded'];

/** The uuid in a path segment, without a `.json` suffix; 404 for anything that is not one. */
function uuidParam(c: AaContext): string {
  const id = withoutFormatSuffix(c.req.param('id') ?? '');
  if (id === null || !UUID.test(id)) throw notFound();
  return id.toLowerCase();
}

export function registerFacadeSubmissionRoutes(app: Hono<AppEnv>, deps: AppDeps) {
  const { db } = deps;
  const submit = createFacadeSubmitHandler(deps);
  const status = createFacadeStatusReader(deps);

  // `submission/.json` is the form older DRF gave the suffix, and the one A_A's example clients post to.
  aaResource(app, ['/submission/', '/submission', '/submission.json', '/submission.json/', '/submission/.json'], {
    name: 'Submission Details',
    parses: PARSES,
    // A_A's GET here crashed with a 500; there is nothing to show without a uuid.
    handlers: { GET: () => Promise.reject(notFound()), POST: submit },
  });

  aaResource(app, ['/submission/single/:id{.+}'], {
    name: 'Submission Details',
    parses: PARSES,
    handlers: {
      GET: async (c) => {
        const output = await status.single(uuidParam(c), c.get('principal') ?? null);
        if (!output) throw notFound();
        return c.json(output);
      },
      // A_A's same view posted exactly as submission/ does.
      POST: submit,
    },
  });

  aaResource(app, ['/submission/:id{.+}'], {
    name: 'Batch Details',
    handlers: {
      GET: async (c) => {
        const batch = await status.batch(uuidParam(c), c.get('principal') ?? null);
        if (!batch) throw notFound();
        return c.json(batch);
      },
      // Not in A_A (it could not cancel): DELETE on a batch cancels every running submission of it.
      // An anonymous batch needs the control_token its POST returned, in the Submission-Token header.
      DELETE: async (c) => {
        const id = uuidParam(c);
        const principal = c.get('principal') ?? null;
        const rows = await listBatchSubmissions(db, id);
        const visible = rows.filter((s) => s.status !== 'deleted' && isVisibleTo(s, principal));
        if (visible.length === 0) throw notFound();
        for (const row of visible) checkMayControl(row, principal, c.req.header(SUBMISSION_TOKEN_HEADER));
        await cancelBatch(deps, id, clientIdentityOf(principal, clientIp(c)));
        const fresh = await listBatchSubmissions(db, id);
        return c.json(await batchOutput(db, id, fresh), 202);
      },
    },
  });

  // Files named by id and name, the data_path and input_file URLs; no format suffix applies.
  app.get('/submissions/:fileId/:name{.+}', (c) =>
    answerErrors(c, async () => {
      const fileId = c.req.param('fileId');
      if (!UUID.test(fileId)) throw notFound();
      const file = await findFileWithOwner(db, fileId);
      const gone = !file || file.status === 'deleted' || file.status === 'expired';
      if (gone || file.name !== c.req.param('name') || !isVisibleTo(file, c.get('principal') ?? null)) throw notFound();
      return new Response(ReadableStream.from(readFileChunks(db, file.id)), {
        status: 200,
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(file.size) },
      });
    }),
  );
}
