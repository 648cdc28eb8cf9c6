import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../src/project-paths.ts';
import { adminClient, type AdminClient } from '../helpers/admin-client.ts';
import { createTestKey } from '../helpers/api-keys.ts';
import { runCli } from '../helpers/run-cli.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { uniqueName } from '../helpers/test-stack.ts';

describe('aa config (over the REST API)', () => {
  let t: TestApp;
  let server: ServerType;
  let admin: AdminClient;
  let env: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    t = await createTestApp();
    const key = await createTestKey(t.db, 'admin');
    admin = adminClient(t, key);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    env = { AA_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, AA_API_KEY: key };
    dir = await mkdtemp(path.join(tmpdir(), 'aa-config-cli-'));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('exports the configuration as YAML on stdout', async () => {
    const backend = uniqueName('be');
    await admin.put(`/api/v1/backends/${backend}`, { description: 'exported by the CLI' });
    const res = await runCli(['config', 'export'], env);
    expect(res.code).toBe(0);
    expect(parse(res.stdout).backends).toContainEqual({
      name: backend,
      taskQueue: `backend.${backend}`,
      rootPath: null,
      description: 'exported by the CLI',
      limits: { cpuSeconds: null, memoryBytes: null, processes: null, openFiles: null, outputBytes: null },
    });
  });

  it('imports a file, and a dry run changes nothing', async () => {
    const backend = uniqueName('be');
    const file = path.join(dir, 'config.yaml');
    await writeFile(file, `backends:\n  - name: ${backend}\n`);
    const dry = await runCli(['config', 'import', file, '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('dry run');
    expect(dry.stdout).toContain(`created ${backend}`);
    expect((await admin.get(`/api/v1/backends/${backend}`)).status).toBe(404);

    const real = await runCli(['config', 'import', file], env);
    expect(real.code).toBe(0);
    expect((await readJson(await admin.get(`/api/v1/backends/${backend}`))).name).toBe(backend);
  });

  it('dry-runs an A_A dump import, listing what it would create and skip', async () => {
    const res = await runCli(
      ['config', 'import-aa', path.join(PROJECT_ROOT, 'test', 'fixtures', 'aa-dump.yaml'), '--dry-run'],
      env,
    );
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('dry run (merge)');
    expect(res.stdout).toMatch(/jobs: created listing, psipred/);
    expect(res.stdout).toContain('skipped auth.user 1: users');
    expect(res.stdout).toContain('renamed "psiblast seq" to "psiblast_seq"');
    expect((await admin.get('/api/v1/tasks/psiblast_seq')).status).toBe(404);
  });

  it('exits 1 with the API error for a bad file', async () => {
    const file = path.join(dir, 'broken.yaml');
    await writeFile(file, 'tasks:\n  - name: x\n    backend: no-such-backend\n    executable: "true"\n');
    const res = await runCli(['config', 'import', file], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('unknown_reference');
    expect(res.stderr).toContain('tasks.0.backend');
  });

  it('exits 1 without a valid key', async () => {
    const res = await runCli(['config', 'export'], { ...env, AA_API_KEY: 'wrong' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('401');
  });

  it('exits 2 with usage for an unknown mode', async () => {
    const res = await runCli(['config', 'import', 'x.yaml', '--mode', 'overwrite'], env);
    expect(res.code).toBe(2);
  });
});
