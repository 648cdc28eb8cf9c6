import type { Db } from '../../src/db/create-db.ts';
import { seedBackend, seedJob, seedTask } from './seed-config.ts';
import { spawnApi, stackEnv, type SpawnedProcess } from './spawned-stack.ts';
import { startTestWorkers, testConfig, testDb, uniqueName, type RunningWorkers } from './test-stack.ts';

/** The jobs the clients' scenario uses (clients/python/tests, test/clients/typescript-client.test.ts). */
export interface ScenarioJobs {
  /** Upper-cases the input (.up), then prints it and the note parameter (.out). */
  twoStep: string;
  /** The note's field, `<task>_<alias>`. */
  noteParam: string;
  /** Sleeps until cancelled. */
  slow: string;
  /** Copies the input (.bin) to a result (.copy). */
  copy: string;
}

export interface ClientScenarioStack {
  url: string;
  jobs: ScenarioJobs;
  stop: () => Promise<void>;
}

async function seedScenarioJobs(db: Db, backend: string): Promise<ScenarioJobs> {
  const twoStep = uniqueName('clients');
  await seedTask(db, {
    name: `${twoStep}-upper`,
    backend,
    executable: `sh -c 'tr a-z A-Z < "$1" > "$2"' sh $I1 $O1`,
    inputs: ['.txt'],
    outputs: ['.up'],
  });
  await seedTask(db, {
    name: `${twoStep}-note`,
    backend,
    executable: `sh -c 'cat "$1"; echo "$2"' sh $I1 $P1`,
    inputs: ['.up'],
    stdoutEnding: '.out',
    parameters: [{ alias: 'note', switchless: true, required: true }],
  });
  await seedJob(db, twoStep, [
    { task: `${twoStep}-upper`, ordering: 0 },
    { task: `${twoStep}-note`, ordering: 1 },
  ]);
  const slow = uniqueName('clients-slow');
  await seedTask(db, { name: `${slow}-task`, backend, executable: 'sleep 600' });
  await seedJob(db, slow, [{ task: `${slow}-task`, ordering: 0 }]);
  const copy = uniqueName('clients-copy');
  await seedTask(db, { name: `${copy}-task`, backend, executable: 'cp $I1 $O1', inputs: ['.bin'], outputs: ['.copy'] });
  await seedJob(db, copy, [{ task: `${copy}-task`, ordering: 0 }]);
  return { twoStep, noteParam: `${twoStep}-note_note`, slow, copy };
}

/** The API as a real process on a free port, workers for one backend, and the scenario's jobs seeded. */
export async function startClientScenarioStack(): Promise<ClientScenarioStack> {
  const config = testConfig();
  const db = testDb(config);
  const backend = uniqueName('clients');
  await seedBackend(db, backend, `backend.${backend}`);
  const jobs = await seedScenarioJobs(db, backend);
  let workers: RunningWorkers | undefined;
  let api: (SpawnedProcess & { url: string }) | undefined;
  const stop = async () => {
    await api?.stop();
    await workers?.stop();
    await db.destroy();
  };
  try {
    workers = await startTestWorkers(config, db, [`backend.${backend}`]);
    api = await spawnApi(stackEnv());
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: api.url, jobs, stop };
}
