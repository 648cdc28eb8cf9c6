import { bearer } from '../helpers/api-keys.ts';
import { runCli } from '../helpers/run-cli.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { uniqueName } from '../helpers/test-stack.ts';

const aa = (...args: string[]) => runCli(args);

describe('aa keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('creates an admin key before any key exists, lists it and revokes it', async () => {
    const name = uniqueName('cli-admin');
    const created = await aa('keys', 'create', '--role', 'admin', '--name', name);
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^aa_[0-9a-f]{12}_/);
    expect((await t.app.request('/api/v1/keys', { headers: bearer(key) })).status).toBe(200);

    const listed = await aa('keys', 'list');
    const line = listed.stdout.split('\n').find((l) => l.includes(name));
    expect(line).toBeDefined();
    const id = line!.split('\t')[0]!;

    const revoked = await aa('keys', 'revoke', id);
    expect(revoked.code).toBe(0);
    expect((await t.app.request('/api/v1/keys', { headers: bearer(key) })).status).toBe(401);
  });

  it('refuses an unknown role with exit code 2 and creates nothing', async () => {
    const before = await t.db
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const res = await aa('keys', 'create', '--role', 'root');
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--role');
    const after = await t.db
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('fails with exit code 1 when revoking a key that does not exist', async () => {
    const res = await aa('keys', 'revoke', '99999999');
    expect(res.code).toBe(1);
  });
});
