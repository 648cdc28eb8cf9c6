// A_A's job catalogue: the paginated list, one job's configuration, and the submission endpoints.
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../api/app-env.ts';
import type { Db } from '../db/create-db.ts';
import { invalidPage, notFound } from './aa-errors.ts';
import { aaResource, withoutFormatSuffix } from './aa-routing.ts';
import { pageLinks, pageWindow } from './page-number-pagination.ts';

async function stepsOf(db: Db, jobIds: number[]) {
  if (jobIds.length === 0) return [];
  return db
    .selectFrom('job_steps')
    .innerJoin('tasks', 'tasks.id', 'job_steps.task_id')
    .select(['job_steps.job_id', 'job_steps.ordering', 'tasks.id as task_id', 'tasks.name as task_name'])
    .where('job_steps.job_id', 'in', jobIds)
    .orderBy('job_steps.ordering')
    .orderBy('job_steps.position')
    .execute();
}

export function registerFacadeJobRoutes(app: Hono<AppEnv>, deps: AppDeps) {
  const { db } = deps;

  aaResource(app, ['/job/', '/job', '/job.json', '/job.json/'], {
    name: 'Job List',
    handlers: {
      GET: async (c) => {
        const { count } = await db
          .selectFrom('jobs')
          .select((eb) => eb.fn.countAll<string>().as('count'))
          .executeTakeFirstOrThrow();
        const total = Number(count);
        const window = pageWindow(c.req.query('page'), total);
        if (!window) throw invalidPage();
        const jobs = await db
          .selectFrom('jobs')
          .select(['id', 'name'])
          .orderBy('id')
          .offset(window.offset)
          .limit(window.limit)
          .execute();
        return c.json({
          count: total,
          ...pageLinks(c.req.url, window.page, total),
          results: jobs.map((job) => ({ pk: job.id, name: job.name })),
        });
      },
    },
  });

  aaResource(app, ['/job/:name{.+}'], {
    name: 'Job Detail',
    handlers: {
      GET: async (c) => {
        const raw = c.req.param('name') ?? '';
        // A_A took the whole rest of the path as the name, so `.json` or a trailing slash gave 404;
        // the exact name still wins, and without a match the suffix is read as a suffix.
        const candidates = [raw, withoutFormatSuffix(raw)].filter((n): n is string => !!n);
        const jobs = await db.selectFrom('jobs').select(['id', 'name']).where('name', 'in', candidates).execute();
        const job = candidates.map((n) => jobs.find((j) => j.name === n)).find(Boolean);
        if (!job) throw notFound();
        const steps = await stepsOf(db, [job.id]);
        const taskIds = [...new Set(steps.map((s) => s.task_id))];
        const configurations = taskIds.length
          ? await db
              .selectFrom('task_configurations')
              .selectAll()
              .where('task_id', 'in', taskIds)
              .orderBy('position')
              .execute()
          : [];
        return c.json({
          name: job.name,
          steps: steps.map((step) => ({
            task: {
              configuration: configurations
                .filter((conf) => conf.task_id === step.task_id)
                .map(({ type, name, parameters, version }) => ({ type, name, parameters, version })),
            },
            ordering: step.ordering,
          })),
        });
      },
    },
  });

  aaResource(app, ['/endpoints/', '/endpoints', '/endpoints.json', '/endpoints.json/'], {
    name: 'Endpoints',
    handlers: {
      GET: async (c) => {
        // Every job, runnable or not, as A_A listed them.
        const jobs = await db.selectFrom('jobs').select(['id', 'name']).orderBy('id').execute();
        const steps = await stepsOf(
          db,
          jobs.map((j) => j.id),
        );
        const taskIds = [...new Set(steps.map((s) => s.task_id))];
        const parameters = taskIds.length
          ? await db
              .selectFrom('task_parameters')
              .select(['task_id', 'alias', 'type'])
              .where('task_id', 'in', taskIds)
              .orderBy('position')
              .execute()
          : [];
        const uris = jobs.map((job) => {
          let uri = `/submission/&job=${job.name}&submission_name=[STRING]&email=[EMAIL_STRING]&input_data=[FILE]`;
          for (const step of steps.filter((s) => s.job_id === job.id)) {
            for (const p of parameters.filter((param) => param.task_id === step.task_id)) {
              uri += `&${step.task_name}_${p.alias}=${p.type === 'switch' ? '[TRUE/FALSE]' : '[VALUE]'}`;
            }
          }
          return uri;
        });
        return c.json({ jobs: uris });
      },
    },
  });
}
